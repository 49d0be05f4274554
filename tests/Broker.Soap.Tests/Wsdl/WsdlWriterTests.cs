using System.Xml.Linq;
using Broker.Soap.Wsdl;

namespace Broker.Soap.Tests.Wsdl;

public sealed class WsdlWriterTests
{
    private static readonly XNamespace W = "http://schemas.xmlsoap.org/wsdl/";
    private static readonly XNamespace S = "http://schemas.xmlsoap.org/wsdl/soap/";
    private static readonly XDocument Doc = XDocument.Parse(System.Text.Encoding.UTF8.GetString(WsdlWriter.Write(new Uri("https://vso.example.org/soap/vsoi"))));

    [Fact]
    public void Write_FirstServiceIsVsoiServiceWithAllPortsAtTheAddress()
    {
        var service = Doc.Root!.Elements(W + "service").First();
        Assert.Equal("VSOiService", service.Attribute("name")!.Value);
        var ports = service.Elements(W + "port").ToList();
        Assert.Equal(["nsoVSOi", "sdacVSOi", "nsoTestVSOi"], ports.Select(p => p.Attribute("name")!.Value));
        Assert.All(ports, p => Assert.Equal("https://vso.example.org/soap/vsoi", p.Element(S + "address")!.Attribute("location")!.Value));
        Assert.Equal(VsoiNames.Namespace, Doc.Root.Attribute("targetNamespace")!.Value);
    }

    [Fact]
    public void Write_BindingIsRpcLiteralWithSoapActions()
    {
        var binding = Doc.Root!.Element(W + "binding")!;
        Assert.Equal("rpc", binding.Element(S + "binding")!.Attribute("style")!.Value);
        var actions = binding.Elements(W + "operation").ToDictionary(o => o.Attribute("name")!.Value, o => o.Element(S + "operation")!.Attribute("soapAction")!.Value);
        Assert.Equal("http://virtualsolar.org/VSO/VSOi#Query", actions["Query"]);
        Assert.Equal("http://virtualsolar.org/VSO/VSOi#GetData", actions["GetData"]);
        Assert.All(binding.Descendants(S + "body"), b => Assert.Equal("literal", b.Attribute("use")!.Value));
    }

    [Fact]
    public void Write_EveryMessageHasOnePartNamedBody()
    {
        var messages = Doc.Root!.Elements(W + "message").ToList();
        Assert.Equal(4, messages.Count);
        Assert.All(messages, m => Assert.Equal("body", Assert.Single(m.Elements(W + "part")).Attribute("name")!.Value));
    }

    [Fact]
    public void Write_SchemaDeclaresInfoSiteAndCompiles()
    {
        var info = VsoiSchema.Types.Single(t => t.Name == "Info");
        Assert.Contains(info.Elements, e => e.Name == "site");
        Assert.Contains(info.Elements, e => e.Name == "required");
        Assert.NotEmpty(Support.WsdlSchema.Set.GlobalTypes.Values.Cast<object>());
    }
}

public sealed class WsdlSchemaValidationTests
{
    [Fact]
    public void ValidateBody_UndeclaredOrQualifiedChild_IsReported()
    {
        const string ok = "<VSO:QueryResponse><body><provideritem><version>1</version><record><recorditem><provider>p</provider>" +
                          "<time><start>20100101000000</start><end>20100101000000</end></time><size>-1</size>{0}</recorditem></record></provideritem></body></VSO:QueryResponse>";
        Assert.Empty(Support.WsdlSchema.ValidateBody(Bytes(string.Format(ok, ""))));
        Assert.NotEmpty(Support.WsdlSchema.ValidateBody(Bytes(string.Format(ok, "<detector>C2</detector>"))));
        Assert.NotEmpty(Support.WsdlSchema.ValidateBody(Bytes(string.Format(ok, "<VSO:fileid>x</VSO:fileid>"))));
    }

    private static byte[] Bytes(string body) => System.Text.Encoding.UTF8.GetBytes(Support.Samples.Envelope(body));
}
