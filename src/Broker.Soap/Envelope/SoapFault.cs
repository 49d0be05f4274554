namespace Broker.Soap.Envelope;

/// <summary>Who is at fault, as SOAP 1.1 <c>faultcode</c> says it.</summary>
public enum SoapFaultCode
{
    /// <summary>The request is wrong (malformed, unknown operation, invalid query): soap:Client.</summary>
    Client,
    /// <summary>The server failed: soap:Server.</summary>
    Server,
}

/// <summary>A SOAP 1.1 Fault: code, a message for a person, and optional detail text.</summary>
public sealed record SoapFault(SoapFaultCode Code, string Message, string? Detail = null);

/// <summary>
/// Thrown while reading a request that cannot be answered normally. <see cref="IsNotSoap"/> marks input that is
/// not XML at all (or has a non-XML content type): an HTTP door answers that with 400 instead of a Fault.
/// </summary>
public sealed class SoapFaultException(SoapFault fault, bool isNotSoap = false, Exception? inner = null)
    : Exception(fault.Message, inner)
{
    public SoapFault Fault { get; } = fault;
    public bool IsNotSoap { get; } = isNotSoap;

    public static SoapFaultException Client(string message, string? detail = null) => new(new SoapFault(SoapFaultCode.Client, message, detail));
}
