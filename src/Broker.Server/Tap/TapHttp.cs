using System.Security.Cryptography;
using System.Text;
using Broker.Server.Sessions;
using Broker.Server.Soap;
using Broker.Sessions;
using Broker.TapService;
using Broker.VoTable;

namespace Broker.Server.Tap;

/// <summary>HTTP plumbing of the TAP door: parameters, the caller's identity, absolute URLs and plain answers.</summary>
internal static class TapHttp
{
    public const string XmlType = "text/xml; charset=utf-8";
    public const string TextType = "text/plain; charset=utf-8";
    public const string VoTableType = "application/x-votable+xml";

    /// <summary>
    /// Query string merged with a urlencoded or multipart body (chunked or not); names case-insensitive. A body that cannot
    /// be decoded (broken multipart, a charset .NET does not know, a limit exceeded) is answered here with a VOTable saying
    /// QUERY_STATUS=ERROR and why (400, or the status Kestrel chose, e.g. 413), and null is returned: the caller stops.
    /// </summary>
    public static async Task<TapParameters?> ReadParametersAsync(HttpContext http)
    {
        var request = http.Request;
        var p = new TapParameters();
        p.AddAll(request.Query);
        if (!request.HasFormContentType) return p;
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or FormatException or ArgumentException
                                   && !http.RequestAborted.IsCancellationRequested)
        {
            var status = ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status400BadRequest;
            await BytesAsync(http, status, VoTableWriter.CreateErrorDocument(
                $"The request body cannot be read as {request.ContentType} ({OneLine(ex.Message)}): send the parameters " +
                "as application/x-www-form-urlencoded (UTF-8, valid percent-encoding) or as complete multipart/form-data."), VoTableType).ConfigureAwait(false);
            return null;
        }
        p.AddAll(form);
        return p;
    }

    private static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= 200 ? line : line[..200];
    }

    /// <summary>The absolute URL of the TAP service (…/tap), honouring Broker:PublicBaseUrl and forwarded headers.</summary>
    public static string ServiceUrl(HttpContext http) => VsoSoapEndpoints.PublicBaseUrl(http) + "/tap";

    /// <summary>
    /// The owner of jobs the caller creates: a hash of the session the caller presented (cookie or header). A caller who
    /// presented none (taplint, astroquery before login) owns nothing: its jobs are reachable by their unguessable URL only.
    /// </summary>
    public static string? Owner(HttpContext http)
    {
        var session = SessionHttp.GetSessionId(http);
        if (session is null) return null;
        var cookieName = http.RequestServices.GetService<BrokerSessionOptions>()?.CookieName ?? "vso_session";
        if (!SessionHttp.PresentedIds(http.Request, cookieName).Any(id => id?.Trim() == session)) return null;
        // A one-way hash: the owner id is shown in job documents, the session id never is.
        return "session-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(session)))[..16];
    }

    public static Task BytesAsync(HttpContext http, int status, byte[] body, string contentType)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = contentType;
        http.Response.ContentLength = body.Length;
        return http.Response.Body.WriteAsync(body, http.RequestAborted).AsTask();
    }

    public static Task TextAsync(HttpContext http, int status, string text) =>
        BytesAsync(http, status, Encoding.UTF8.GetBytes(text), TextType);

    /// <summary>303 See Other with an absolute Location (STILTS rejects relative ones and 302).</summary>
    public static void SeeOther(HttpContext http, string absoluteUrl)
    {
        http.Response.StatusCode = StatusCodes.Status303SeeOther;
        http.Response.Headers.Location = absoluteUrl;
    }
}
