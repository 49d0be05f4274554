using Broker.Core.Search;
using Broker.Core.Services;
using Broker.Core.Validation;
using Broker.Server.Sessions;
using Broker.Server.UserCredentials;
using Broker.Soap;
using Broker.Soap.Contracts;
using Broker.Soap.Envelope;
using Broker.Soap.Mapping;
using Broker.Soap.Messages;
using Broker.Soap.Tabdelim;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Broker.Server.Soap;

/// <summary>
/// Runs one VSOi POST: read within limits, parse, run Query or GetData through the broker, write the answer.
/// A request that is not XML at all gets a Client Fault with HTTP 400; a malformed envelope or request is a SOAP 1.1
/// Fault (HTTP 500) that says what is wrong. A query that cannot run (invalid values, no provider for it) and provider failures are never faults:
/// they are error text inside a normal QueryResponse, which is what sunpy shows its users.
/// </summary>
internal static partial class VsoSoapHandler
{
    public static async Task HandleAsync(HttpContext http, bool tabdelim)
    {
        var services = http.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Broker.Server.Soap");
        var limits = services.GetService<SoapLimits>() ?? SoapLimits.Default;
        var ct = http.RequestAborted;
        try
        {
            if (!IsXmlContentType(http.Request.ContentType))
            {
                await NotSoapAsync(http, $"Content-Type '{http.Request.ContentType}' is not XML: POST a SOAP 1.1 envelope as text/xml");
                return;
            }
            var request = await ReadRequestAsync(http, limits, ct);
            var service = new VsoiBrokerService(
                services.GetRequiredService<SearchEngine>(), services.GetRequiredService<FileResolver>(),
                services.GetRequiredService<QueryNormalizer>(), services.GetService<IRecordLookup>(), services.GetService<IUrlVerifier>());

            // Only a session the middleware validated is used (it read info/required or the SOAP header before this
            // ran): a caller-chosen id is never adopted.
            var sessionId = SessionHttp.GetSessionId(http);
            byte[] answer = request.Operation == VsoiOperation.Query
                ? await QueryAsync(http, service, request.Query!, sessionId, tabdelim, logger, ct)
                : await GetDataAsync(http, service, request, sessionId, ct);
            await WriteAsync(http, StatusCodes.Status200OK, answer);
        }
        catch (SoapFaultException ex) when (ex.IsNotSoap)
        {
            await NotSoapAsync(http, ex.Fault.Message);
        }
        catch (SoapFaultException ex)
        {
            LogFault(logger, ex.Fault.Message);
            await WriteAsync(http, StatusCodes.Status500InternalServerError, SoapEnvelopeWriter.WriteFault(ex.Fault));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The caller went away: nothing to answer.
        }
        catch (Exception ex)
        {
            LogFailure(logger, ex);
            await WriteAsync(http, StatusCodes.Status500InternalServerError,
                SoapEnvelopeWriter.WriteFault(new SoapFault(SoapFaultCode.Server, "internal error of the broker: " + ex.GetType().Name)));
        }
    }

    private static async Task<VsoiRequest> ReadRequestAsync(HttpContext http, SoapLimits limits, CancellationToken ct)
    {
        if (http.Request.ContentLength > limits.MaxRequestBytes)
            throw SoapFaultException.Client($"the request is larger than {limits.MaxRequestBytes} bytes");
        ReadOnlyMemory<byte> bytes;
        try
        {
            bytes = await SoapEnvelopeReader.ReadBytesAsync(http.Request.Body, limits, ct);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw SoapFaultException.Client("the request is larger than the server accepts");
        }
        return VsoiRequestReader.Read(SoapEnvelopeReader.Parse(bytes, limits));
    }

    private static async Task<byte[]> QueryAsync(
        HttpContext http, VsoiBrokerService service, QueryRequest query, string? sessionId, bool tabdelim, ILogger logger, CancellationToken ct)
    {
        QueryResponse response;
        try
        {
            response = await service.QueryAsync(query, sessionId, ct, await SessionCredentials.ForRequestAsync(http),
                () => SessionHttp.MarkStoreUnavailable(http));
        }
        catch (Exception ex) when (ex is QueryValidationException or NoProviderException)
        {
            var message = ex is QueryValidationException v ? "invalid query: " + string.Join("; ", v.Errors) : ex.Message;
            LogFault(logger, message);
            // Not a Fault: sunpy prints a provideritem's error as a warning but files a Fault silently, and IDL reads
            // only the FlatTable text, where the error becomes a header line it prints.
            response = VsoiQueryMapper.ErrorResponse(message);
        }
        var echo = Echo(http, sessionId);
        return tabdelim ? FlatTableWriter.Envelope(response, echo) : VsoiResponseWriter.QueryEnvelope(response);
    }

    private static async Task<byte[]> GetDataAsync(HttpContext http, VsoiBrokerService service, VsoiRequest request, string? sessionId, CancellationToken ct)
    {
        GetDataAnswer answer;
        try
        {
            var credentials = await SessionCredentials.ForRequestAsync(http);
            var downloads = http.RequestServices.GetRequiredService<RestrictedDownloads>();
            answer = await service.GetDataAsync(request.GetData!, sessionId, ct, credentials, r => downloads.HandOut(http, sessionId, credentials, r));
        }
        catch (QueryValidationException ex)
        {
            throw SoapFaultException.Client("invalid GetData request: " + ex.Message);
        }
        var echo = Echo(http, sessionId);
        return VsoiResponseWriter.GetDataEnvelope(answer, request.EncodedModel, echo is null ? null : ["session=" + echo]);
    }

    /// <summary>The session id to echo: the sessions layer's (it may have started one during the search), else the caller's.</summary>
    private static string? Echo(HttpContext http, string? sessionId) => SessionHttp.GetSessionId(http) ?? sessionId;

    private static bool IsXmlContentType(string? contentType) =>
        string.IsNullOrWhiteSpace(contentType) || contentType.Contains("xml", StringComparison.OrdinalIgnoreCase);

    private static async Task WriteAsync(HttpContext http, int status, byte[] body)
    {
        if (http.Response.HasStarted) return;
        http.Response.StatusCode = status;
        http.Response.ContentType = VsoiNames.ContentType;
        http.Response.ContentLength = body.Length;
        await http.Response.Body.WriteAsync(body, http.RequestAborted);
    }

    /// <summary>
    /// A request that is not SOAP at all still gets a Client Fault a SOAP toolkit can show (zeep raises it as a Fault
    /// at any status), with HTTP 400: the SOAP binding's 500 is for faults of requests that were SOAP.
    /// </summary>
    private static Task NotSoapAsync(HttpContext http, string message) =>
        WriteAsync(http, StatusCodes.Status400BadRequest, SoapEnvelopeWriter.WriteFault(new SoapFault(SoapFaultCode.Client, message)));

    [LoggerMessage(Level = LogLevel.Information, Message = "VSOi request refused: {Reason}")]
    private static partial void LogFault(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "VSOi request failed")]
    private static partial void LogFailure(ILogger logger, Exception exception);
}
