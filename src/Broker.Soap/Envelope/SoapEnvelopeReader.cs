using System.Xml.Linq;

namespace Broker.Soap.Envelope;

/// <summary>A parsed SOAP 1.1 envelope: the optional Header and the first element inside Body.</summary>
public sealed record SoapEnvelope(XElement? Header, XElement Content)
{
    /// <summary>True when the body holds a soap:Fault.</summary>
    public bool IsFault => Content.Name == XName.Get("Fault", VsoiNames.SoapEnvelope);

    /// <summary>The fault in the body, or null.</summary>
    public SoapFault? Fault => IsFault ? SoapFaultXml.Read(Content) : null;
}

/// <summary>Reads SOAP 1.1 envelopes namespace-aware (any prefix) within <see cref="SoapLimits"/>.</summary>
public static class SoapEnvelopeReader
{
    private const string Soap12Envelope = "http://www.w3.org/2003/05/soap-envelope";

    /// <summary>Reads a whole request body into memory, refusing more than <see cref="SoapLimits.MaxRequestBytes"/>.</summary>
    public static async Task<ReadOnlyMemory<byte>> ReadBytesAsync(Stream body, SoapLimits limits, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limits.MaxRequestBytes)
                throw SoapFaultException.Client($"the request is larger than {limits.MaxRequestBytes} bytes");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>Reads and parses an envelope from a stream.</summary>
    public static async Task<SoapEnvelope> ReadAsync(Stream body, SoapLimits limits, CancellationToken cancellationToken) =>
        Parse(await ReadBytesAsync(body, limits, cancellationToken).ConfigureAwait(false), limits);

    /// <summary>Parses an envelope; throws <see cref="SoapFaultException"/> with a message saying what is wrong.</summary>
    public static SoapEnvelope Parse(ReadOnlyMemory<byte> bytes, SoapLimits limits)
    {
        if (bytes.Length > limits.MaxRequestBytes)
            throw SoapFaultException.Client($"the request is larger than {limits.MaxRequestBytes} bytes");
        if (bytes.IsEmpty)
            throw new SoapFaultException(new SoapFault(SoapFaultCode.Client, "the request is empty: a SOAP 1.1 envelope was expected"), isNotSoap: true);
        var root = SecureXml.Load(bytes, limits);
        return FromRoot(root);
    }

    /// <summary>Checks the envelope structure of an already parsed document.</summary>
    public static SoapEnvelope FromRoot(XElement root)
    {
        if (root.Name.LocalName != "Envelope")
            throw SoapFaultException.Client($"not a SOAP envelope: the root element is '{root.Name.LocalName}', expected soap:Envelope");
        if (root.Name.NamespaceName == Soap12Envelope)
            throw SoapFaultException.Client("SOAP 1.2 is not supported; send a SOAP 1.1 envelope (" + VsoiNames.SoapEnvelope + ")");
        if (root.Name.NamespaceName != VsoiNames.SoapEnvelope)
            throw SoapFaultException.Client($"wrong envelope namespace '{root.Name.NamespaceName}'; SOAP 1.1 uses {VsoiNames.SoapEnvelope}");
        var header = root.Element(XName.Get("Header", VsoiNames.SoapEnvelope));
        var body = root.Element(XName.Get("Body", VsoiNames.SoapEnvelope))
            ?? throw SoapFaultException.Client("the envelope has no soap:Body");
        var content = body.Elements().FirstOrDefault()
            ?? throw SoapFaultException.Client("the soap:Body is empty: expected a Query or GetData element");
        return new SoapEnvelope(header, content);
    }
}
