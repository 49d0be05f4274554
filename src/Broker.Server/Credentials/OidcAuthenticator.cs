using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Broker.Core.Providers;

namespace Broker.Server.Credentials;

/// <summary>
/// Bearer tokens from an OAuth2/OIDC token endpoint (client_credentials or password grant). A token is renewed after
/// <c>renewAt</c> (default 80 %) of its <c>expires_in</c>, so a long UWS job keeps polling with a valid token; a token the
/// provider refuses is fetched again once.
/// </summary>
internal sealed class OidcAuthenticator : RequestAuthenticator
{
    private const int MaxTokenResponseBytes = 64 * 1024;
    /// <summary>Used when the endpoint does not say how long its token lives.</summary>
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(5);

    private readonly Uri _tokenUrl;
    private readonly Func<IReadOnlyList<KeyValuePair<string, string>>> _form;
    private readonly double _renewAt;
    private readonly TimeProvider _time;
    private readonly SharedRenewal _token;
    private SendRaw? _send;

    /// <param name="tokenUrl">The token endpoint (checked at load to be on the provider's host and port).</param>
    /// <param name="form">The grant's form fields, read at each renewal (secrets are not kept between renewals).</param>
    public OidcAuthenticator(Uri tokenUrl, Func<IReadOnlyList<KeyValuePair<string, string>>> form, double renewAt, TimeProvider time)
    {
        _tokenUrl = tokenUrl;
        _form = form;
        _renewAt = renewAt;
        _time = time;
        _token = new SharedRenewal(FetchAsync, time, TimeSpan.FromSeconds(30));
    }

    /// <summary>How many tokens were fetched so far.</summary>
    public int Fetches => _token.Fetches;

    public override async ValueTask<object?> ApplyAsync(HttpRequestMessage request, SendRaw send, CancellationToken cancellationToken)
    {
        _send = send;
        var token = await _token.GetAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return token;
    }

    public override ValueTask<bool> RenewAsync(object? applied, CancellationToken cancellationToken)
    {
        _token.Invalidate(applied);
        return ValueTask.FromResult(true);
    }

    private async Task<IssuedValue> FetchAsync(CancellationToken ct)
    {
        var send = _send ?? throw new InvalidOperationException("no request has been applied yet");
        using var request = new HttpRequestMessage(HttpMethod.Post, _tokenUrl) { Content = new FormUrlEncodedContent(_form()) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var issued = _time.GetUtcNow();
        HttpResponseMessage response;
        try
        {
            response = await send(request, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new ProviderException($"the token endpoint {_tokenUrl.Authority} could not be reached: {ex.Message}", transient: true, ex);
        }
        using (response)
        {
            if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                throw new CredentialRefusedException($"the token endpoint answered HTTP {(int)response.StatusCode}");
            if (!response.IsSuccessStatusCode)
                throw new ProviderException($"the token endpoint answered HTTP {(int)response.StatusCode}", transient: (int)response.StatusCode >= 500);
            try
            {
                await response.Content.LoadIntoBufferAsync(MaxTokenResponseBytes, ct).ConfigureAwait(false);
                var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
                using var json = JsonDocument.Parse(body);
                var root = json.RootElement;
                var token = root.TryGetProperty("access_token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                if (string.IsNullOrEmpty(token) || token.Any(char.IsWhiteSpace))
                    throw new ProviderException("the token endpoint's answer has no usable access_token");
                var lifetime = root.TryGetProperty("expires_in", out var e) && e.TryGetDouble(out var seconds) && seconds > 0
                    ? TimeSpan.FromSeconds(seconds) : DefaultLifetime;
                return new IssuedValue(token, issued + lifetime * _renewAt, issued + lifetime);
            }
            catch (Exception ex) when (ex is JsonException or HttpRequestException)
            {
                throw new ProviderException("the token endpoint's answer is not a JSON token document of at most 64 kB");
            }
        }
    }
}
