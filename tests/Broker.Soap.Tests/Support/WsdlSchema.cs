using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using Broker.Soap.Envelope;
using Broker.Soap.Wsdl;

namespace Broker.Soap.Tests.Support;

/// <summary>
/// The XML Schema inside our own WSDL, plus test-only global elements for the rpc wrappers (Query, QueryResponse,
/// GetData, GetDataResponse with one unqualified part 'body'), so that whole message bodies can be validated.
/// </summary>
internal static class WsdlSchema
{
    private static readonly XNamespace Xsd = "http://www.w3.org/2001/XMLSchema";

    public static readonly XmlSchemaSet Set = Build();

    private static XmlSchemaSet Build()
    {
        var wsdl = XDocument.Parse(System.Text.Encoding.UTF8.GetString(WsdlWriter.Write(new Uri("http://127.0.0.1/soap/vsoi"))));
        var schema = wsdl.Descendants(Xsd + "schema").Single();
        foreach (var (element, type) in new[]
                 {
                     ("Query", "QueryRequest"), ("QueryResponse", "QueryResponse"),
                     ("GetData", "VSOGetDataRequest"), ("GetDataResponse", "VSOGetDataResponse"),
                 })
            schema.Add(new XElement(Xsd + "element", new XAttribute("name", element),
                new XElement(Xsd + "complexType", new XElement(Xsd + "sequence",
                    new XElement(Xsd + "element", new XAttribute("name", "body"), new XAttribute("type", "VSO:" + type))))));
        var set = new XmlSchemaSet { XmlResolver = null };
        using var reader = schema.CreateReader();
        set.Add(XmlSchema.Read(reader, (_, e) => throw e.Exception)!);
        set.Compile();
        return set;
    }

    /// <summary>Validates the element inside soap:Body; returns every validation error (empty when valid).</summary>
    public static List<string> ValidateBody(byte[] envelope)
    {
        var content = SoapEnvelopeReader.Parse(envelope, SoapLimits.Default).Content;
        var doc = new XDocument(new XElement(content));
        var errors = new List<string>();
        doc.Validate(Set, (_, e) => errors.Add(e.Message));
        return errors;
    }
}
