using System.Net;
using System.Text;
using System.Xml;
using Broker.Server.Sessions;
using Broker.Server.Tests.Rest;
using Broker.Soap.Envelope;

namespace Broker.Server.Tests.Sessions;

/// <summary>A 1 MiB body of nested elements costs work bounded by the SOAP door's depth limit, not by its size (issue 10, item 2).</summary>
public class HostileSoapBodyTests
{
    private const string Prefix = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>";

    /// <summary>Exactly 1 MiB: the largest body the session peek looks into.</summary>
    private static byte[] NestedMebibyte()
    {
        var text = new StringBuilder(Prefix);
        while (text.Length + 3 <= 1 << 20) text.Append("<a>");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    [Fact]
    public async Task SessionPeek_NestedMebibyte_StopsAtTheDepthBound()
    {
        var settings = SecureXml.ReaderSettings(1 << 20);
        settings.Async = true;
        using var reader = XmlReader.Create(new MemoryStream(NestedMebibyte()), settings);

        var peek = await SoapSessionReader.PeekAsync(reader, SoapLimits.Default.MaxDepth, CancellationToken.None);

        Assert.True(peek.TooDeep);
        Assert.Null(peek.SessionId);
        Assert.Equal(SoapLimits.Default.MaxDepth + 2, peek.ElementsRead); // depths 0 … MaxDepth, then the first one deeper
    }

    [Fact]
    public async Task SessionPeek_InfoRequired_IsFoundInOnePass()
    {
        var body = Prefix + "<Query><body><info><required>abc</required></info></body></Query></soap:Body></soap:Envelope>";
        var settings = SecureXml.ReaderSettings(1 << 20);
        settings.Async = true;
        using var reader = XmlReader.Create(new MemoryStream(Encoding.UTF8.GetBytes(body)), settings);

        var peek = await SoapSessionReader.PeekAsync(reader, SoapLimits.Default.MaxDepth, CancellationToken.None);

        Assert.Equal("abc", peek.SessionId);
    }

    [Theory]
    [InlineData("/soap/vsoi")]
    [InlineData("/soap/vsoi_tabdelim")]
    public async Task SoapDoor_NestedMebibyte_IsAFaultNamingTheDepthLimit(string path)
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui"));
        var content = new ByteArrayContent(NestedMebibyte());
        content.Headers.ContentType = new("text/xml") { CharSet = "utf-8" };

        using var response = await broker.Http.PostAsync(path, content);

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode); // SOAP 1.1 carries Faults with HTTP 500
        Assert.Contains("Fault", text);
        Assert.Contains($"deeper than {SoapLimits.Default.MaxDepth} levels", text);
    }
}
