using System.Diagnostics;
using System.Net;
using Broker.Core.Credentials;
using Broker.Core.Providers;
using Broker.Core.Search;
using Broker.Providers.Tap;
using Broker.Server.OpenApi;
using Broker.Server.Rest;
using Broker.Sessions;
using Microsoft.Net.Http.Headers;

namespace Broker.Server.UserCredentials;

/// <summary>
/// <c>GET|HEAD /api/v1/download/{token}</c>: streams a file GetData handed out as a broker link, fetched from its provider
/// with the credentials of the session that asked for it. Ranges and resumption work (206, Content-Range, If-Range),
/// passed to the provider, or cut by the broker when the provider ignores them; only hosts of the registry are called
/// (redirects included); each session runs at most <see cref="DownloadOptions.MaxConcurrentPerSession"/> at once.
/// </summary>
public static partial class DownloadApi
{
    public const string Path = "/api/v1/download";
    private const int MaxRedirects = 5;
    private const string ProblemBase = "https://virtualsolar.org/broker/problems/";
    private static readonly string[] RelayedHeaders =
        [HeaderNames.ETag, HeaderNames.LastModified, HeaderNames.ContentDisposition, HeaderNames.ContentType];

    public static IEndpointRouteBuilder MapDownloadApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods(Path + "/{token}/{name?}", [HttpMethods.Get, HttpMethods.Head], DownloadAsync)
            .WithTags("GetData").WithUtf8Problems()
            .WithParameter("token", "The opaque token of a link GetData handed out", "CfDJ8-example-token")
            .WithParameter("name", "The file's name (ignored; clients that name files after the URL's last segment use it)", "file.fits")
            .WithTextResponse(StatusCodes.Status200OK, "*/*", "The file, with the provider's Content-Type, ETag and Last-Modified; Accept-Ranges: bytes")
            .WithTextResponse(StatusCodes.Status206PartialContent, "*/*", "The requested byte range (Content-Range)")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone).ProducesProblem(StatusCodes.Status416RangeNotSatisfiable)
            .ProducesProblem(StatusCodes.Status429TooManyRequests).ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Download a restricted file through the broker, with the credentials of the session that asked GetData for it")
            .WithDescription("The link comes from GetData (valid Downloads:LinkLifetime, 1 h by default). Range and If-Range work for " +
                             "resuming; 429 when the session already runs Downloads:MaxConcurrentPerSession downloads.");
        return app;
    }

    private static async Task<IResult> DownloadAsync(HttpContext http, string token, DownloadLinks links, ISessionStore sessions,
        UserCredentialVault vault, IProviderCatalog catalog, DownloadSlots slots, DownloadClients clients, ILoggerFactory loggers)
    {
        HideToken(http);
        var logger = loggers.CreateLogger(typeof(DownloadApi));
        var ct = http.RequestAborted;
        if (links.Open(token) is not { } grant)
            return Problems.Problem(StatusCodes.Status404NotFound, "Unknown download link",
                "This is not a download link of this broker (or it was altered). Ask GetData for the file again.", ProblemBase + "unknown-download");
        if (links.IsExpired(grant))
            return Problems.Problem(StatusCodes.Status410Gone, "Download link expired",
                $"This link expired at {grant.ExpiresAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}. Ask GetData for the file again.", ProblemBase + "download-expired");
        CallerCredentials? credentials;
        IAsyncDisposable? slot;
        try
        {
            if (await sessions.TouchAsync(grant.SessionId, ct) is null)
                return Problems.Problem(StatusCodes.Status410Gone, "Session ended",
                    "The session that asked for this link has ended, and its credentials with it. Start a session, add your credentials and ask GetData again.",
                    ProblemBase + "download-expired");
            credentials = await vault.GetAsync(grant.SessionId, ct);
            slot = await slots.TryEnterAsync(grant.SessionId, ct);
        }
        catch (SessionStoreUnavailableException)
        {
            http.Response.Headers.RetryAfter = "5";
            return Problems.Problem(StatusCodes.Status503ServiceUnavailable, "Session store unavailable",
                "The session of this link cannot be read right now; try again shortly.", ProblemBase + "session-store-unavailable");
        }
        await using var held = slot;
        if (catalog.Current.Find(grant.Provider) is not { } provider)
            return Problems.Problem(StatusCodes.Status404NotFound, "Unknown provider", $"Provider '{grant.Provider}' is no longer in the registry.");
        if (!Uri.TryCreate(grant.Url, UriKind.Absolute, out var url) || !provider.Serves(url))
            return Problems.Problem(StatusCodes.Status403Forbidden, "Not a registry host",
                $"The file's URL is not on a host and port of provider '{provider.Id}' in the registry; the broker does not fetch it.");

        if (slot is null)
        {
            http.Response.Headers.RetryAfter = "5";
            return Problems.Problem(StatusCodes.Status429TooManyRequests, "Too many downloads",
                $"This session already runs the most downloads at once that the broker allows; retry when one has finished.", ProblemBase + "rate-limited");
        }

        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage upstream;
        try
        {
            using (CallerCredentials.Use(credentials))
                upstream = await SendAsync(clients.For(provider.Config), provider, url, http.Request, ct);
        }
        catch (RedirectRefusedException ex)
        {
            return Problems.Problem(StatusCodes.Status502BadGateway, "Provider redirected elsewhere", ex.Message);
        }
        catch (HttpRequestException ex)
        {
            return Problems.Problem(StatusCodes.Status502BadGateway, "Provider unreachable", $"{provider.Id} could not be reached: {ex.Message}");
        }
        catch (ProviderUnauthorizedException ex)
        {
            return Problems.Problem(StatusCodes.Status403Forbidden, "Credentials refused", ex.Message, ProblemBase + "unauthorized");
        }
        using (upstream)
        {
            var result = await RelayAsync(http, upstream, grant, provider.Id, ct);
            LogDownload(logger, provider.Id, SessionId.ForLog(grant.SessionId, http.RequestServices.GetRequiredService<BrokerSessionOptions>().LogHashKey),
                http.Response.StatusCode, result, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return Results.Empty;
        }
    }

    /// <summary>
    /// GET (HEAD for HEAD, or GET where the provider refuses HEAD) with the caller's Range and If-Range, following
    /// redirects by hand within the registry.
    /// </summary>
    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, ProviderRuntime provider, Uri url, HttpRequest request, CancellationToken ct)
    {
        var method = HttpMethods.IsHead(request.Method) ? HttpMethod.Head : HttpMethod.Get;
        for (var hop = 0; ; hop++)
        {
            var message = new HttpRequestMessage(method, url);
            if (request.Headers.Range.Count > 0) message.Headers.TryAddWithoutValidation(HeaderNames.Range, request.Headers.Range.ToString());
            if (request.Headers.IfRange.Count > 0) message.Headers.TryAddWithoutValidation(HeaderNames.IfRange, request.Headers.IfRange.ToString());
            var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, ct);
            if (method == HttpMethod.Head && response.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented)
            {
                response.Dispose();
                (method, hop) = (HttpMethod.Get, hop - 1);
                continue;
            }
            if ((int)response.StatusCode is not (>= 300 and < 400) || response.Headers.Location is not { } location) return response;
            response.Dispose();
            url = location.IsAbsoluteUri ? location : new Uri(url, location);
            if (hop >= MaxRedirects) throw new RedirectRefusedException($"{provider.Id} redirected more than {MaxRedirects} times.");
            if (!provider.Serves(url))
                throw new RedirectRefusedException($"{provider.Id} redirected to {url.Authority}, which is not a host and port of the registry; not followed.");
        }
    }

    /// <summary>Copies the provider's answer: its own 206 as is; a 200 to a range request is cut here when the length is known.</summary>
    private static async Task<long> RelayAsync(HttpContext http, HttpResponseMessage upstream, DownloadGrant grant, string providerId, CancellationToken ct)
    {
        var response = http.Response;
        var status = (int)upstream.StatusCode;
        if (status == StatusCodes.Status416RangeNotSatisfiable)
        {
            response.StatusCode = status;
            if (upstream.Content.Headers.ContentRange is { } unsatisfiable) response.Headers.ContentRange = unsatisfiable.ToString();
            return 0;
        }
        if (status is not (StatusCodes.Status200OK or StatusCodes.Status206PartialContent))
        {
            var (code, title) = status == StatusCodes.Status404NotFound ? (StatusCodes.Status404NotFound, "File not found")
                : status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden ? (StatusCodes.Status403Forbidden, "Credentials refused")
                : (StatusCodes.Status502BadGateway, "Provider failed");
            await Problems.Problem(code, title, $"{providerId} answered HTTP {status} {upstream.ReasonPhrase} for file {grant.FileId}.").ExecuteAsync(http);
            return 0;
        }

        foreach (var name in RelayedHeaders)
            if (Header(upstream, name) is { } value) response.Headers[name] = value;
        if (Header(upstream, HeaderNames.ContentDisposition) is null)
            response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = FileName(grant) }.ToString();
        response.Headers.AcceptRanges = "bytes";
        var length = upstream.Content.Headers.ContentLength;
        var head = HttpMethods.IsHead(http.Request.Method);

        long from = 0, count = length ?? -1;
        if (status == StatusCodes.Status206PartialContent)
        {
            response.StatusCode = status;
            if (upstream.Content.Headers.ContentRange is { } range) response.Headers.ContentRange = range.ToString();
        }
        else if (length is { } total && WantedRange(http.Request, upstream, total) is { } wanted)
        {
            if (wanted.From >= total)
            {
                response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                response.Headers.ContentRange = $"bytes */{total}";
                return 0;
            }
            (from, count) = (wanted.From, wanted.To - wanted.From + 1);
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {wanted.From}-{wanted.To}/{total}";
        }
        if (count >= 0) response.ContentLength = count;
        if (head) return 0;
        await using var body = await upstream.Content.ReadAsStreamAsync(ct);
        return await CopyAsync(body, response.Body, from, count, ct);
    }

    /// <summary>
    /// The one byte range the caller asked for, when the broker must cut it itself (the provider sent the whole file):
    /// null for no or several ranges, or an If-Range that no longer matches the file (then the whole file is the answer).
    /// </summary>
    private static (long From, long To)? WantedRange(HttpRequest request, HttpResponseMessage upstream, long total)
    {
        if (!RangeHeaderValue.TryParse(request.Headers.Range.ToString(), out var header) || header.Unit != "bytes" || header.Ranges.Count != 1)
            return null;
        var ifRange = request.Headers.IfRange.ToString();
        if (ifRange.Length > 0)
        {
            var etag = upstream.Headers.ETag;
            var matches = ifRange.StartsWith('"') || ifRange.StartsWith("W/", StringComparison.Ordinal)
                ? etag is { IsWeak: false } && etag.Tag == ifRange // strong comparison only (RFC 9110 13.1.5)
                : upstream.Content.Headers.LastModified is { } modified && HeaderUtilities.TryParseDate(ifRange, out var date) && date == modified;
            if (!matches) return null;
        }
        var r = header.Ranges.Single();
        if (r.From is null) return r.To is > 0 ? (Math.Max(0, total - r.To.Value), total - 1) : null; // bytes=-N: the last N bytes
        return (r.From.Value, Math.Min(r.To ?? total - 1, total - 1));
    }

    private static async Task<long> CopyAsync(Stream source, Stream target, long skip, long count, CancellationToken ct)
    {
        var buffer = new byte[81920];
        long copied = 0;
        while (count < 0 || copied < count)
        {
            var read = await source.ReadAsync(buffer, ct);
            if (read == 0) break;
            var start = 0;
            if (skip > 0)
            {
                start = (int)Math.Min(skip, read);
                skip -= start;
                if (start == read) continue;
            }
            var n = read - start;
            if (count >= 0) n = (int)Math.Min(n, count - copied);
            await target.WriteAsync(buffer.AsMemory(start, n), ct);
            copied += n;
        }
        return copied;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var v) || response.Content.Headers.TryGetValues(name, out v) ? string.Join(", ", v) : null;

    private static string FileName(DownloadGrant grant) => FileName(grant.FileId);

    /// <summary>The file id's last path segment as a file name: the last segment of the link, and the attachment's name.</summary>
    public static string FileName(string fileId)
    {
        var name = fileId.Split('/', '\\').LastOrDefault(s => s.Length > 0) ?? "file";
        return new string(name.Select(c => char.IsControl(c) || c is '"' ? '_' : c).ToArray());
    }

    /// <summary>
    /// The token is a short-lived capability: the request log (RequestPath) and the trace (url.path) show the route
    /// instead. The route pattern is already what the request log line itself prints.
    /// </summary>
    private static void HideToken(HttpContext http)
    {
        http.Request.Path = Path + "/-";
        Activity.Current?.SetTag("url.path", Path + "/{token}/{name}");
    }

    private sealed class RedirectRefusedException(string message) : Exception(message);

    [LoggerMessage(EventId = 3310, Level = LogLevel.Information,
        Message = "Download from {ProviderId} for session {SessionHash}: {StatusCode}, {Bytes} bytes in {ElapsedMs} ms")]
    private static partial void LogDownload(ILogger logger, string providerId, string sessionHash, int statusCode, long bytes, long elapsedMs);
}
