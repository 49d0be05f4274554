using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Broker.Core.Providers;
using Broker.VoTable;

namespace Broker.Providers.Tap.Protocol;

/// <summary>HTTP helpers shared by the sync, UWS and VOSI calls: redirects, status mapping, error messages.</summary>
internal static partial class TapHttp
{
    private const int MaxRedirects = 5;
    private const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>True for the status codes that carry a Location to follow.</summary>
    public static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.SeeOther or HttpStatusCode.Found or HttpStatusCode.MovedPermanently
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    /// <summary>
    /// The absolute target of a redirect (a relative Location resolves against the request URL). The broker only calls
    /// the hosts of its registry: a Location on another host, or not http(s), is refused rather than followed.
    /// </summary>
    public static Uri? RedirectTarget(HttpResponseMessage response, Uri requestUrl)
    {
        var location = response.Headers.Location;
        if (location is null) return null;
        var target = location.IsAbsoluteUri ? location : new Uri(requestUrl, location);
        if (!RegistryHosts.SameService(target, requestUrl))
            throw new ProviderException($"{requestUrl.Authority} redirected to {target.Scheme}://{target.Authority}, which is not a host and port of the registry; not followed");
        return target;
    }

    /// <summary>Sends a request, turning transport failures into <see cref="ProviderException"/>s (transient).</summary>
    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient http, HttpRequestMessage request, string providerId, CancellationToken ct)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new ProviderException($"{providerId} could not be reached: {ex.Message}", transient: true, ex);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            // HttpClient.Timeout fired (not our caller's token).
            throw new ProviderException($"{providerId} did not answer within the HTTP client timeout", transient: true, ex);
        }
    }

    /// <summary>GETs a URL, following up to five redirects (whether or not the handler follows them itself).</summary>
    public static async Task<HttpResponseMessage> GetAsync(HttpClient http, Uri url, string providerId, CancellationToken ct)
    {
        for (var hop = 0; ; hop++)
        {
            var response = await SendAsync(http, new HttpRequestMessage(HttpMethod.Get, url), providerId, ct).ConfigureAwait(false);
            if (!IsRedirect(response.StatusCode)) return response;
            var next = RedirectTarget(response, url);
            response.Dispose();
            if (next is null || hop >= MaxRedirects)
                throw new ProviderException($"{providerId} answered {url} with a redirect loop or a redirect without Location");
            url = next;
        }
    }

    /// <summary>Throws the <see cref="ProviderException"/> a failed status deserves: 5xx, 408 and 429 transient, other 4xx not.</summary>
    public static async Task EnsureSuccessAsync(HttpResponseMessage response, string providerId, string what, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        var status = (int)response.StatusCode;
        var message = await ErrorMessageAsync(response, ct).ConfigureAwait(false);
        var transient = status >= 500 || status is 408 or 429;
        var text = $"{providerId} {what} failed: HTTP {status} {response.ReasonPhrase}" + (message is null ? "" : ": " + message);
        throw new ProviderException(text, transient);
    }

    /// <summary>The message of an error body: the QUERY_STATUS=ERROR text of a VOTable, else the (de-tagged) text.</summary>
    public static async Task<string?> ErrorMessageAsync(HttpResponseMessage response, CancellationToken ct)
    {
        byte[] body;
        try
        {
            body = await ReadLimitedAsync(response.Content, MaxErrorBodyBytes, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return null;
        }
        if (body.Length == 0) return null;
        var text = Encoding.UTF8.GetString(body).Trim();
        if (text.StartsWith('<') && text.Contains("VOTABLE", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                using var stream = new MemoryStream(body);
                await using var reader = await TableReaders.OpenAsync(stream, "application/x-votable+xml", ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false)) { }
                if (reader.ErrorMessage is { } m) return Shorten(m);
            }
            catch (TableFormatException)
            {
                // Not a readable VOTable after all: fall back to the text.
            }
        }
        return Shorten(TagPattern().Replace(text, " "));
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes of a body.</summary>
    public static async Task<byte[]> ReadLimitedAsync(HttpContent content, int limit, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var buffer = new byte[limit];
        var total = 0;
        int read;
        while (total < limit && (read = await stream.ReadAsync(buffer.AsMemory(total, limit - total), ct).ConfigureAwait(false)) > 0)
            total += read;
        return buffer.AsSpan(0, total).ToArray();
    }

    /// <summary>Longest provider error text shown to users.</summary>
    private const int MaxShownChars = 200;

    /// <summary>
    /// What users see of a provider's error text: its first non-blank line only (a stack trace or an HTML page says
    /// nothing more useful to them), blanks collapsed, cut to <see cref="MaxShownChars"/>.
    /// </summary>
    private static string Shorten(string text)
    {
        var line = text.Split('\n').Select(l => WhitespacePattern().Replace(l, " ").Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        return line.Length <= MaxShownChars ? line : line[..MaxShownChars] + "…";
    }

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespacePattern();
}
