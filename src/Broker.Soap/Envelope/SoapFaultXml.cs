using System.Xml;
using System.Xml.Linq;

namespace Broker.Soap.Envelope;

/// <summary>Reads and writes the soap:Fault element.</summary>
public static class SoapFaultXml
{
    /// <summary>Writes a fault body: faultcode (soap:Client / soap:Server), faultstring, optional detail.</summary>
    public static void Write(XmlWriter writer, SoapFault fault)
    {
        writer.WriteStartElement("soap", "Fault", VsoiNames.SoapEnvelope);
        writer.WriteStartElement("faultcode");
        writer.WriteQualifiedName(fault.Code == SoapFaultCode.Client ? "Client" : "Server", VsoiNames.SoapEnvelope);
        writer.WriteEndElement();
        writer.WriteElementString("faultstring", fault.Message);
        if (fault.Detail is not null)
        {
            writer.WriteStartElement("detail");
            writer.WriteElementString("message", fault.Detail);
            writer.WriteEndElement();
        }
        writer.WriteEndElement();
    }

    /// <summary>Reads a soap:Fault element (children are unqualified in SOAP 1.1, but any namespace is accepted).</summary>
    public static SoapFault Read(XElement fault)
    {
        string? Child(string name) => fault.Elements().FirstOrDefault(e => e.Name.LocalName == name) is { } e ? e.Value.Trim() : null;
        var code = Child("faultcode") ?? "";
        var kind = code.EndsWith("Client", StringComparison.OrdinalIgnoreCase) ? SoapFaultCode.Client : SoapFaultCode.Server;
        var detail = fault.Elements().FirstOrDefault(e => e.Name.LocalName == "detail")?.Value.Trim();
        return new SoapFault(kind, Child("faultstring") is { Length: > 0 } s ? s : "SOAP fault " + code, string.IsNullOrEmpty(detail) ? null : detail);
    }
}
