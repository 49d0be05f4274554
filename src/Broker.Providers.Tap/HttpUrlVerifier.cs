using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Broker.Core.Providers;
using Broker.Core.Search;
using Microsoft.Extensions.Logging;

namespace Broker.Providers.Tap;

/// <summary>
/// Checks that a data URL really serves data: HEAD (GET of byte 0 when HEAD is refused), with a short timeout.
/// A 404, 5xx or other error status, or an HTML page (a login or error page saved as .fits), is
/// <see cref="FileStatus.Broken"/>. Only the provider url's host and port and its configured data hosts (default ports)
/// are ever called, redirects included (they are followed by hand, host and port checked at each hop). A URL on the
/// provider's own address is checked through the provider's HTTP client (<see cref="IProviderHttpClient"/>), so it
/// carries the same credentials as the provider's other calls; a data host gets none. Checks are bounded per host
/// and port and in total (<see cref="UrlVerifierOptions"/>).
/// </summary>
public sealed partial class HttpUrlVerifier : IUrlVerifier, IDisposable
{
    private const int MaxRedirects = 5;

    private readonly IProviderCatalog _catalog;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger<HttpUrlVerifier> _logger;
    private readonly UrlVerifierOptions _options;
    private readonly SemaphoreSlim _checks;
    // One gate per host:port ever checked; only registry hosts get here, so the table stays small.
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _hostChecks = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A verifier with its own connection pool (no automatic redirects).</summary>
    public HttpUrlVerifier(IProviderCatalog catalog, TimeProvider time, ILogger<HttpUrlVerifier> logger, UrlVerifierOptions? options = null)
        : this(catalog, new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, ConnectTimeout = TimeSpan.FromSeconds(5) }, time, logger, options)
    {
    }

    /// <param name="catalog">Where the provider's url and data hosts are found.</param>
    /// <param name="handler">The HTTP handler (disposed with the verifier); automatic redirects should be off.</param>
    /// <param name="time">Clock for the timeout.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="options">Concurrency bounds and time per URL. <value>Default <see cref="UrlVerifierOptions"/>.</value></param>
    public HttpUrlVerifier(IProviderCatalog catalog, HttpMessageHandler handler, TimeProvider time, ILogger<HttpUrlVerifier> logger,
        UrlVerifierOptions? options = null)
    {
        _catalog = catalog;
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _time = time;
        _logger = logger;
        _options = (options ?? new UrlVerifierOptions()).Validated();
        _checks = new SemaphoreSlim(_options.MaxChecks);
    }

    /// <inheritdoc />
    public async Task<FileLocation> VerifyAsync(string providerId, FileLocation location, CancellationToken cancellationToken)
    {
        if (location.Url is null) return location with { Status = FileStatus.Broken, Detail = "no URL to check" };
        if (!Uri.TryCreate(location.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            return location with { Status = FileStatus.Broken, Detail = "not an http(s) URL" };
        var provider = _catalog.Current.Find(providerId);
        if (provider is null) return location with { Status = FileStatus.Broken, Detail = $"unknown provider '{providerId}'" };

        using var budget = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        var check = new Check(providerId, location, provider.Serves);
        try
        {
            var own = provider.Adapter is IProviderHttpClient p ? p.Http : null;
            HttpClient ClientFor(Uri u) => own is not null && RegistryHosts.SameService(u, provider.Config.Url) ? own : _http;
            return await CheckAsync(check, url, ClientFor, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !check.Asked)
        {
            return location with
            {
                Status = FileStatus.Unverified,
                Detail = $"not checked: no check slot for {url.Authority} within {_options.Timeout.TotalSeconds:0.#} s "
                    + $"(the broker checks at most {_options.MaxChecksPerHost} URLs of a host at once)",
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Broken(providerId, location, $"no answer within {_options.Timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex)
        {
            return Broken(providerId, location, "unreachable: " + ex.Message);
        }
        catch (ProviderUnauthorizedException ex)
        {
            return Broken(providerId, location, ex.Message);
        }
    }

    /// <summary>One URL being checked: whether a request was sent yet (a timeout before that means it was never asked).</summary>
    private sealed class Check(string providerId, FileLocation location, Func<Uri, bool> inRegistry)
    {
        public string ProviderId => providerId;
        public FileLocation Location => location;
        public Func<Uri, bool> InRegistry => inRegistry;
        public bool Asked { get; set; }
    }

    private async Task<FileLocation> CheckAsync(Check check, Uri url, Func<Uri, HttpClient> clientFor, CancellationToken ct)
    {
        var (providerId, location) = (check.ProviderId, check.Location);
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            if (!check.InRegistry(url))
                return Broken(providerId, location, (hop == 0 ? "" : $"redirect to {url.Authority}: ") + "host and port not in registry");
            using var slot = await AcquireSlotAsync(url, ct).ConfigureAwait(false);
            check.Asked = true;
            using var response = await ProbeAsync(clientFor(url), url, ct).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400 && response.Headers.Location is { } next)
            {
                url = next.IsAbsoluteUri ? next : new Uri(url, next);
                continue;
            }
            if (!response.IsSuccessStatusCode)
                return Broken(providerId, location, $"HTTP {status} {response.ReasonPhrase}".TrimEnd());
            var contentType = response.Content.Headers.ContentType?.MediaType;
            if (contentType is "text/html" or "application/xhtml+xml")
                return Broken(providerId, location, $"serves an HTML page ({contentType}), not data");
            var size = response.Content.Headers.ContentRange?.Length
                ?? (response.StatusCode == HttpStatusCode.OK ? response.Content.Headers.ContentLength : null);
            return location with
            {
                Status = FileStatus.Ok,
                ContentType = location.ContentType ?? contentType,
                // What the server says it serves beats the catalogue's figure (ObsCore's access_estsize is an estimate):
                // download scripts check files against this size.
                SizeBytes = size ?? location.SizeBytes,
                Detail = null,
            };
        }
        return Broken(providerId, location, "too many redirects");
    }

    /// <summary>A slot of the URL's host and port, then one of the broker's total (always in this order: no deadlock).</summary>
    private async Task<Slot> AcquireSlotAsync(Uri url, CancellationToken ct)
    {
        var host = _hostChecks.GetOrAdd(url.Authority, _ => new SemaphoreSlim(_options.MaxChecksPerHost));
        await host.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await _checks.WaitAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            host.Release();
            throw;
        }
        return new Slot(host, _checks);
    }

    private sealed class Slot(SemaphoreSlim host, SemaphoreSlim total) : IDisposable
    {
        public void Dispose()
        {
            total.Release();
            host.Release();
        }
    }

    /// <summary>HEAD; servers that refuse HEAD (405, 501) get a GET for the first byte only.</summary>
    private static async Task<HttpResponseMessage> ProbeAsync(HttpClient http, Uri url, CancellationToken ct)
    {
        var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, url), HttpCompletionOption.ResponseHeadersRead, ct)
            .ConfigureAwait(false);
        if (head.StatusCode is not (HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented)) return head;
        head.Dispose();
        var get = new HttpRequestMessage(HttpMethod.Get, url);
        get.Headers.Range = new RangeHeaderValue(0, 0);
        return await http.SendAsync(get, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
    }

    private FileLocation Broken(string providerId, FileLocation location, string detail)
    {
        LogBroken(_logger, providerId, location.FileId, detail);
        return location with { Status = FileStatus.Broken, Detail = detail };
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Data URL of {FileId} ({ProviderId}) is broken: {Detail}")]
    private static partial void LogBroken(ILogger logger, string providerId, string fileId, string detail);
}
