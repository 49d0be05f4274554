using System.Net;
using System.Net.Http.Headers;
using System.Xml.Linq;
using Broker.Core.Providers;
using Broker.Soap.Envelope;

namespace Broker.Soap.Providers;

/// <summary>POSTs one SOAP 1.1 request to a VSOi endpoint and returns the body content of the answer.</summary>
internal sealed class VsoiSoapClient(HttpClient http, Uri endpoint, long maxResponseBytes)
{
    private readonly SoapLimits _limits = new() { MaxRequestBytes = maxResponseBytes, MaxElements = 10_000_000 };

    /// <summary>
    /// Sends the envelope. A SOAP Fault becomes a <see cref="ProviderException"/> with the faultstring; an HTTP
    /// error without a fault is transient for 5xx and 429; a malformed answer is a plain provider error.
    /// </summary>
    public async Task<XElement> CallAsync(string soapAction, byte[] envelope, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(envelope) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("SOAPAction", "\"" + soapAction + "\"");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;

        ReadOnlyMemory<byte> bytes;
        await using (var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                bytes = await SoapEnvelopeReader.ReadBytesAsync(stream, _limits, cancellationToken).ConfigureAwait(false);
            }
            catch (SoapFaultException)
            {
                throw new ProviderException($"the answer is larger than {maxResponseBytes} bytes");
            }
        }

        SoapEnvelope? envelopeRead = null;
        string? parseError = null;
        try
        {
            envelopeRead = SoapEnvelopeReader.Parse(bytes, _limits);
        }
        catch (SoapFaultException ex)
        {
            parseError = ex.Fault.Message;
        }

        if (envelopeRead?.Fault is { } fault)
            throw new ProviderException($"SOAP fault from the provider: {fault.Message}", transient: false);
        if (status is < 200 or > 299)
            throw new ProviderException($"HTTP {status} {response.StatusCode} from the VSOi endpoint",
                transient: status >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests);
        return envelopeRead?.Content ?? throw new ProviderException($"the provider's answer is not a SOAP envelope: {parseError}");
    }
}
