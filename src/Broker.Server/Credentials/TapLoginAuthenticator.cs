using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Broker.Core.Providers;

namespace Broker.Server.Credentials;

/// <summary>
/// ESAC TAP+ login (SOAR, Gaia ...): POST {url}/login with the username and password as a form; the session cookie it
/// sets goes with every later call to that provider. When the provider says the session is over (401/403, or its
/// login page instead of data) the broker logs in once more and repeats the request — once, never in a loop.
/// </summary>
internal sealed partial class TapLoginAuthenticator : RequestAuthenticator
{
    private const int MaxLoginPageBytes = 256 * 1024;

    private readonly Uri _loginUrl;
    private readonly Func<(string Username, string Password)> _read;
    private readonly SharedRenewal _session;
    private SendRaw? _send;

    public TapLoginAuthenticator(Uri loginUrl, Func<(string Username, string Password)> read, TimeProvider time)
    {
        _loginUrl = loginUrl;
        _read = read;
        _session = new SharedRenewal(LoginAsync, time, TimeSpan.FromSeconds(30));
    }

    /// <summary>How many times the broker logged in.</summary>
    public int Logins => _session.Fetches;

    public override async ValueTask<object?> ApplyAsync(HttpRequestMessage request, SendRaw send, CancellationToken cancellationToken)
    {
        _send = send;
        var cookie = await _session.GetAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Remove("Cookie");
        request.Headers.TryAddWithoutValidation("Cookie", cookie);
        return cookie;
    }

    public override async ValueTask<bool> IsRefusedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) return true;
        if (response.Content.Headers.ContentType?.MediaType is not ("text/html" or "application/xhtml+xml")) return false;
        // ESAC answers an expired session on some paths with its HTML login form and status 200.
        try
        {
            await response.Content.LoadIntoBufferAsync(MaxLoginPageBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return false;
        }
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return PasswordField().IsMatch(text);
    }

    public override ValueTask<bool> RenewAsync(object? applied, CancellationToken cancellationToken)
    {
        _session.Invalidate(applied);
        return ValueTask.FromResult(true);
    }

    /// <summary>
    /// Ends the login at the provider (POST …/logout next to the login URL, with the session cookie), as TapPlus.logout
    /// does; false when there was no login to end. The provider's answer is not checked beyond reaching it: the cookie is
    /// forgotten either way, and one that was not ended lapses at the provider on its own.
    /// </summary>
    public async Task<bool> LogoutAsync(CancellationToken cancellationToken)
    {
        if (_send is not { } send || _session.Take() is not { } cookie) return false;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_loginUrl, "logout"));
        request.Headers.TryAddWithoutValidation("Cookie", cookie);
        using var response = await send(request, cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode;
    }

    private async Task<IssuedValue> LoginAsync(CancellationToken ct)
    {
        var send = _send ?? throw new InvalidOperationException("no request has been applied yet");
        var (username, password) = _read();
        using var request = new HttpRequestMessage(HttpMethod.Post, _loginUrl)
        {
            Content = new FormUrlEncodedContent([new("username", username), new("password", password)]),
        };
        HttpResponseMessage response;
        try
        {
            response = await send(request, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new ProviderException($"the login at {_loginUrl.Authority} could not be reached: {ex.Message}", transient: true, ex);
        }
        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                throw new CredentialRefusedException($"the login answered HTTP {(int)response.StatusCode}");
            if ((int)response.StatusCode >= 400)
                throw new ProviderException($"the login answered HTTP {(int)response.StatusCode}", transient: (int)response.StatusCode >= 500);
            var cookies = response.Headers.TryGetValues("Set-Cookie", out var values)
                ? values.Select(v => v.Split(';', 2)[0].Trim()).Where(v => v.Contains('=', StringComparison.Ordinal)).ToList()
                : [];
            if (cookies.Count == 0) throw new CredentialRefusedException("the login set no session cookie");
            return new IssuedValue(string.Join("; ", cookies));
        }
    }

    [GeneratedRegex("""type\s*=\s*["']?password""", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordField();
}
