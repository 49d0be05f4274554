using System.Text;
using System.Xml;
using Broker.Providers.Tap.Protocol;

namespace Broker.Providers.Tap.Tests.Protocol;

/// <summary>Provider XML documents (UWS, VOSI) are read in linear time with a depth bound (issue 10, item 2).</summary>
public class ProviderXmlTests
{
    private static byte[] Nested(string prefix, int depth) =>
        Encoding.UTF8.GetBytes(prefix + string.Concat(Enumerable.Repeat("<a>", depth)) + string.Concat(Enumerable.Repeat("</a>", depth)));

    [Fact]
    public void UwsJob_NestedMegabyteDeep_IsAMalformedDocumentNotACrash()
    {
        var body = Nested("<uws:job xmlns:uws=\"http://www.ivoa.net/xml/UWS/v1.0\"><uws:phase>", 150_000);
        Assert.True(body.Length > 1 << 20);

        var e = Assert.Throws<FormatException>(() => UwsJob.Parse(body, new Uri("http://127.0.0.1:9/tap/async/1")));

        Assert.Contains($"deeper than {ProviderXml.MaxDepth} levels", e.Message);
    }

    [Fact]
    public void Load_AtTheBound_IsRead_OneDeeper_IsRefused()
    {
        Assert.NotNull(ProviderXml.Load(Nested("", ProviderXml.MaxDepth + 1)).Root);
        Assert.Throws<XmlException>(() => ProviderXml.Load(Nested("", ProviderXml.MaxDepth + 2)));
    }

    [Fact]
    public void Load_Dtd_IsRefused()
    {
        var body = Encoding.UTF8.GetBytes("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>");

        Assert.Throws<XmlException>(() => ProviderXml.Load(body));
    }
}
