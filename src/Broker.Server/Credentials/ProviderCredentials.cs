using System.Collections.Concurrent;
using Broker.Core.Configuration;
using Broker.Core.Credentials;
using Broker.Core.Providers;

namespace Broker.Server.Credentials;

/// <summary>
/// Builds the authenticator for a provider call: the broker's service credential from providers.yaml, or a caller's
/// own. A caller's login cookie or token is kept (keyed by a digest of the credential, never the secret) so that their
/// next calls reuse it; idle ones are dropped after <see cref="IdleLifetime"/>, and at most <see cref="MaxCallerSessions"/> are kept.
/// </summary>
public sealed class ProviderCredentials(TimeProvider time)
{
    /// <summary>How long an unused caller login or token is kept.</summary>
    public static readonly TimeSpan IdleLifetime = TimeSpan.FromMinutes(30);
    /// <summary>Most caller logins and tokens kept at once (beyond, a caller logs in for each call until others expire).</summary>
    public const int MaxCallerSessions = 10_000;

    private readonly ConcurrentDictionary<(string Provider, ProviderAuth? Auth, string Fingerprint), CallerSession> _callers = new();
    private long _lastSweep;

    internal TimeProvider Time => time;

    /// <summary>The broker's own authenticator for <paramref name="provider"/>, or null (asked anonymously).</summary>
    internal RequestAuthenticator? ForService(ProviderConfig provider)
    {
        if (provider.Auth is not { HasServiceCredential: true } auth) return null;
        (string, string) UserAndPassword() => (SecretReader.Read(auth.Username!), SecretReader.Read(auth.Password!));
        return auth.Scheme switch
        {
            AuthScheme.Basic => new BasicAuthenticator(UserAndPassword),
            AuthScheme.Bearer => new BearerAuthenticator(() => SecretReader.Read(auth.Token!)),
            AuthScheme.TapLogin => new TapLoginAuthenticator(LoginUrl(provider, auth), UserAndPassword, time),
            _ => new OidcAuthenticator(auth.TokenUrl!, () => OidcForm(auth, auth.Grant == OidcGrant.Password ? UserAndPassword() : null), auth.RenewAt, time),
        };
    }

    /// <summary>The authenticator that applies a caller's own <paramref name="credential"/> as the provider's scheme wants it.</summary>
    internal RequestAuthenticator ForCaller(ProviderConfig provider, ProviderCredential credential)
    {
        var auth = provider.Auth;
        if (credential.Kind == CredentialKind.Token) return new BearerAuthenticator(credential.RevealSecret);
        var userAndPassword = () => (credential.Username!, credential.RevealSecret());
        if (auth?.Scheme is not (AuthScheme.TapLogin or AuthScheme.Oidc)) return new BasicAuthenticator(userAndPassword);
        Sweep();
        var key = (provider.Id, auth, credential.Fingerprint());
        var now = time.GetUtcNow();
        if (_callers.TryGetValue(key, out var known))
        {
            known.LastUsed = now;
            return known.Authenticator;
        }
        RequestAuthenticator created = auth.Scheme == AuthScheme.TapLogin
            ? new TapLoginAuthenticator(LoginUrl(provider, auth), userAndPassword, time)
            : new OidcAuthenticator(auth.TokenUrl!, () => OidcForm(auth, userAndPassword(), passwordGrant: true), auth.RenewAt, time);
        if (_callers.Count >= MaxCallerSessions) return created;
        return _callers.GetOrAdd(key, new CallerSession(created) { LastUsed = now }).Authenticator;
    }

    /// <summary>
    /// Forgets the logins and tokens made with <paramref name="credential"/> for <paramref name="providerId"/> (its session
    /// ended, or the user removed it) and logs its ESAC TAP+ logins out at the provider. Returns how many logins the
    /// provider confirmed ended.
    /// </summary>
    internal async Task<int> LogOutCallerAsync(string providerId, ProviderCredential credential, CancellationToken cancellationToken)
    {
        var fingerprint = credential.Fingerprint();
        var ended = 0;
        foreach (var key in _callers.Keys)
        {
            if (!string.Equals(key.Provider, providerId, StringComparison.OrdinalIgnoreCase) || key.Fingerprint != fingerprint) continue;
            if (_callers.TryRemove(key, out var session) && session.Authenticator is TapLoginAuthenticator login &&
                await login.LogoutAsync(cancellationToken).ConfigureAwait(false))
                ended++;
        }
        return ended;
    }

    /// <summary>Caller logins and tokens kept now.</summary>
    public int CallerSessions => _callers.Count;

    private static Uri LoginUrl(ProviderConfig provider, ProviderAuth auth) =>
        auth.LoginUrl ?? new Uri(provider.Url.ToString().TrimEnd('/') + "/login");

    private static List<KeyValuePair<string, string>> OidcForm(ProviderAuth auth, (string Username, string Password)? user, bool passwordGrant = false)
    {
        var form = new List<KeyValuePair<string, string>>();
        if (passwordGrant || auth.Grant == OidcGrant.Password)
        {
            form.Add(new("grant_type", "password"));
            form.Add(new("username", user!.Value.Username));
            form.Add(new("password", user.Value.Password));
        }
        else
        {
            form.Add(new("grant_type", "client_credentials"));
        }
        if (auth.ClientId is not null) form.Add(new("client_id", SecretReader.Read(auth.ClientId)));
        if (auth.ClientSecret is not null) form.Add(new("client_secret", SecretReader.Read(auth.ClientSecret)));
        if (auth.Scope is not null) form.Add(new("scope", auth.Scope));
        return form;
    }

    /// <summary>Drops caller sessions idle longer than <see cref="IdleLifetime"/>; at most once a minute.</summary>
    private void Sweep()
    {
        var now = time.GetUtcNow();
        var last = Interlocked.Read(ref _lastSweep);
        if (now.UtcTicks - last < TimeSpan.TicksPerMinute || Interlocked.CompareExchange(ref _lastSweep, now.UtcTicks, last) != last) return;
        foreach (var (key, session) in _callers)
            if (now - session.LastUsed > IdleLifetime && _callers.TryRemove(key, out _) && session.Authenticator is TapLoginAuthenticator login)
                _ = LogOutQuietlyAsync(login);
    }

    /// <summary>
    /// Logs out an idle TAP+ login (one whose session expired without the broker being told lands here), off the request
    /// path; a provider that does not answer within <see cref="LogoutTimeout"/> keeps it until it lapses there.
    /// </summary>
    private async Task LogOutQuietlyAsync(TapLoginAuthenticator login)
    {
        using var timeout = new CancellationTokenSource(LogoutTimeout, time);
        try
        {
            await login.LogoutAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or ProviderException or ProviderBusyException)
        {
        }
    }

    /// <summary>How long a logout at a provider may take.</summary>
    public static readonly TimeSpan LogoutTimeout = TimeSpan.FromSeconds(10);

    private sealed class CallerSession(RequestAuthenticator authenticator)
    {
        public RequestAuthenticator Authenticator { get; } = authenticator;
        public DateTimeOffset LastUsed { get; set; }
    }
}
