using System.Xml;

namespace Broker.Soap.Envelope;

/// <summary>Writes SOAP 1.1 envelopes with <see cref="XmlWriter"/>: prefixes soap and VSO declared once on the root, no indentation.</summary>
public static class SoapEnvelopeWriter
{
    /// <summary>Writes an envelope whose Body content is produced by <paramref name="writeBody"/>, and returns the bytes.</summary>
    public static byte[] Write(Action<XmlWriter> writeBody, bool declareEncoding = false)
    {
        using var stream = new MemoryStream();
        Write(stream, writeBody, declareEncoding);
        return stream.ToArray();
    }

    /// <summary>Writes an envelope to a stream.</summary>
    public static void Write(Stream output, Action<XmlWriter> writeBody, bool declareEncoding = false)
    {
        using var writer = XmlWriter.Create(output, SecureXml.WriterSettings());
        writer.WriteStartDocument();
        writer.WriteStartElement("soap", "Envelope", VsoiNames.SoapEnvelope);
        writer.WriteAttributeString("xmlns", "soap", null, VsoiNames.SoapEnvelope);
        writer.WriteAttributeString("xmlns", "VSO", null, VsoiNames.Namespace);
        if (declareEncoding)
        {
            writer.WriteAttributeString("xmlns", "SOAP-ENC", null, VsoiNames.SoapEncoding);
            writer.WriteAttributeString("xmlns", "xsi", null, VsoiNames.XsiNamespace);
            writer.WriteAttributeString("xmlns", "xsd", null, VsoiNames.XsdNamespace);
        }
        writer.WriteStartElement("soap", "Body", VsoiNames.SoapEnvelope);
        writeBody(writer);
        writer.WriteEndElement();
        writer.WriteEndElement();
        writer.WriteEndDocument();
    }

    /// <summary>A complete fault envelope.</summary>
    public static byte[] WriteFault(SoapFault fault) => Write(w => SoapFaultXml.Write(w, fault));
}
