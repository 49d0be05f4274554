using System.Xml;
using Broker.Soap.Envelope;

namespace Broker.Soap.Wsdl;

/// <summary>
/// Writes the VSOi rpc/literal WSDL: types from <see cref="VsoiSchema"/>, messages with one part named
/// <c>body</c>, portType VSOiPort, binding VSOiBinding (soapAction …#Query / …#GetData) and the service
/// VSOiService — the only, hence first, service — with the ports nsoVSOi, sdacVSOi and nsoTestVSOi all
/// pointing at <paramref name="soapAddress"/>.
/// </summary>
public static class WsdlWriter
{
    private const string Wsdl = "http://schemas.xmlsoap.org/wsdl/";
    private const string WsdlSoap = "http://schemas.xmlsoap.org/wsdl/soap/";

    private static readonly (string Operation, string Input, string Output, string InType, string OutType)[] Operations =
    [
        (VsoiNames.QueryOperation, "QueryRequest", "QueryResponse", "VSO:QueryRequest", "VSO:QueryResponse"),
        (VsoiNames.GetDataOperation, "GetDataRequest", "GetDataResponse", "VSO:VSOGetDataRequest", "VSO:VSOGetDataResponse"),
    ];

    /// <summary>The WSDL as UTF-8 bytes.</summary>
    public static byte[] Write(Uri soapAddress)
    {
        using var stream = new MemoryStream();
        var settings = SecureXml.WriterSettings();
        settings.Indent = true; // a document for people and tools; no client reads whitespace here
        using (var w = XmlWriter.Create(stream, settings)) Write(w, soapAddress);
        return stream.ToArray();
    }

    public static void Write(XmlWriter w, Uri soapAddress)
    {
        w.WriteStartDocument();
        w.WriteStartElement("definitions", Wsdl);
        w.WriteAttributeString("name", "VSOi");
        w.WriteAttributeString("targetNamespace", VsoiNames.Namespace);
        w.WriteAttributeString("xmlns", "VSO", null, VsoiNames.Namespace);
        w.WriteAttributeString("xmlns", "xsd", null, VsoiNames.XsdNamespace);
        w.WriteAttributeString("xmlns", "soap", null, WsdlSoap);

        WriteTypes(w);
        foreach (var op in Operations)
        {
            WriteMessage(w, op.Input, op.InType);
            WriteMessage(w, op.Output, op.OutType);
        }

        w.WriteStartElement("portType", Wsdl);
        w.WriteAttributeString("name", "VSOiPort");
        foreach (var op in Operations)
        {
            w.WriteStartElement("operation", Wsdl);
            w.WriteAttributeString("name", op.Operation);
            Ref(w, "input", op.Input);
            Ref(w, "output", op.Output);
            w.WriteEndElement();
        }
        w.WriteEndElement();

        WriteBinding(w);
        WriteService(w, soapAddress);
        w.WriteEndElement();
        w.WriteEndDocument();
    }

    private static void WriteTypes(XmlWriter w)
    {
        w.WriteStartElement("types", Wsdl);
        w.WriteStartElement("xsd", "schema", VsoiNames.XsdNamespace);
        w.WriteAttributeString("targetNamespace", VsoiNames.Namespace);
        // Local elements stay unqualified (the default, written out for readers of the file).
        w.WriteAttributeString("elementFormDefault", "unqualified");
        foreach (var type in VsoiSchema.Types)
        {
            w.WriteStartElement("xsd", "complexType", VsoiNames.XsdNamespace);
            w.WriteAttributeString("name", type.Name);
            w.WriteStartElement("xsd", type.IsAll ? "all" : "sequence", VsoiNames.XsdNamespace);
            foreach (var e in type.Elements)
            {
                w.WriteStartElement("xsd", "element", VsoiNames.XsdNamespace);
                w.WriteAttributeString("name", e.Name);
                w.WriteAttributeString("type", e.Type);
                w.WriteAttributeString("minOccurs", e.MinOccurs.ToString(System.Globalization.CultureInfo.InvariantCulture));
                w.WriteAttributeString("maxOccurs", e.Unbounded ? "unbounded" : "1");
                w.WriteEndElement();
            }
            w.WriteEndElement();
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void WriteMessage(XmlWriter w, string name, string type)
    {
        w.WriteStartElement("message", Wsdl);
        w.WriteAttributeString("name", name);
        w.WriteStartElement("part", Wsdl);
        w.WriteAttributeString("name", "body");
        w.WriteAttributeString("type", type);
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void Ref(XmlWriter w, string element, string message)
    {
        w.WriteStartElement(element, Wsdl);
        w.WriteAttributeString("message", "VSO:" + message);
        w.WriteEndElement();
    }

    private static void WriteBinding(XmlWriter w)
    {
        w.WriteStartElement("binding", Wsdl);
        w.WriteAttributeString("name", "VSOiBinding");
        w.WriteAttributeString("type", "VSO:VSOiPort");
        w.WriteStartElement("soap", "binding", WsdlSoap);
        w.WriteAttributeString("style", "rpc");
        w.WriteAttributeString("transport", "http://schemas.xmlsoap.org/soap/http");
        w.WriteEndElement();
        foreach (var op in Operations)
        {
            w.WriteStartElement("operation", Wsdl);
            w.WriteAttributeString("name", op.Operation);
            w.WriteStartElement("soap", "operation", WsdlSoap);
            w.WriteAttributeString("soapAction", VsoiNames.Namespace + "#" + op.Operation);
            w.WriteAttributeString("style", "rpc");
            w.WriteEndElement();
            foreach (var direction in new[] { "input", "output" })
            {
                w.WriteStartElement(direction, Wsdl);
                w.WriteStartElement("soap", "body", WsdlSoap);
                w.WriteAttributeString("use", "literal");
                w.WriteAttributeString("namespace", VsoiNames.Namespace);
                w.WriteEndElement();
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    private static void WriteService(XmlWriter w, Uri soapAddress)
    {
        w.WriteStartElement("service", Wsdl);
        w.WriteAttributeString("name", VsoiNames.ServiceName);
        foreach (var port in VsoiNames.PortNames)
        {
            w.WriteStartElement("port", Wsdl);
            w.WriteAttributeString("name", port);
            w.WriteAttributeString("binding", "VSO:VSOiBinding");
            w.WriteStartElement("soap", "address", WsdlSoap);
            w.WriteAttributeString("location", soapAddress.AbsoluteUri);
            w.WriteEndElement();
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }
}
