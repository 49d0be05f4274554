using Broker.Core.Providers;

namespace Broker.Core.Configuration;

/// <summary>
/// Reads a provider's <c>auth:</c> section; a literal secret, or a token endpoint on another host that is not declared
/// (<c>tokenUrlOnOtherHost</c>), is an error at its line.
/// </summary>
internal static class ProviderAuthReader
{
    private static readonly Dictionary<string, AuthScheme> Schemes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["basic"] = AuthScheme.Basic, ["bearer"] = AuthScheme.Bearer, ["oidc"] = AuthScheme.Oidc, ["tapLogin"] = AuthScheme.TapLogin,
    };

    public static ProviderAuth? Read(ConfigSection? s, Uri? providerUrl)
    {
        if (s is null) return null;
        var schemeText = s.GetString("scheme", required: true);
        AuthScheme? scheme = null;
        if (schemeText is not null)
        {
            if (Schemes.TryGetValue(schemeText, out var found)) scheme = found;
            else s.Error("scheme", $"'{schemeText}' is not a scheme; known: {string.Join(", ", Schemes.Keys)}");
        }
        var auth = new ProviderAuth
        {
            Scheme = scheme ?? AuthScheme.Basic,
            Username = Source(s, "username", secret: false),
            Password = Source(s, "password", secret: true),
            Token = Source(s, "token", secret: true),
            TokenUrl = s.GetUrl("tokenUrl"),
            TokenUrlOnOtherHost = s.GetBool("tokenUrlOnOtherHost", false),
            Grant = ReadGrant(s),
            ClientId = Source(s, "clientId", secret: false),
            ClientSecret = Source(s, "clientSecret", secret: true),
            Scope = s.GetString("scope"),
            RenewAt = s.GetDouble("renewAt", 0.8, 0.1, 0.95),
            LoginUrl = s.GetUrl("loginUrl"),
        };
        s.ReportUnknownKeys();
        if (scheme is null) return null;
        Check(s, auth, providerUrl);
        return auth;
    }

    private static OidcGrant ReadGrant(ConfigSection s) => s.GetString("grant") switch
    {
        null or "client_credentials" => OidcGrant.ClientCredentials,
        "password" => OidcGrant.Password,
        var other => Invalid(s, other),
    };

    private static OidcGrant Invalid(ConfigSection s, string text)
    {
        s.Error("grant", $"'{text}' is not a grant; known: client_credentials, password");
        return OidcGrant.ClientCredentials;
    }

    /// <summary>
    /// <c>env:NAME</c> or <c>file:/absolute/path</c>. A secret written literally is refused (the file is not a secret
    /// store: it is in version control, in the registry database, in support tickets); the message does not repeat it.
    /// </summary>
    private static SecretSource? Source(ConfigSection s, string key, bool secret)
    {
        var text = s.GetString(key);
        if (text is null) return null;
        if (text.StartsWith("env:", StringComparison.Ordinal))
        {
            var name = text[4..];
            if (name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')) return new SecretSource(SecretSourceKind.Environment, name);
            s.Error(key, "env: must name an environment variable (letters, digits, '_')");
            return null;
        }
        if (text.StartsWith("file:", StringComparison.Ordinal))
        {
            var path = text[5..];
            if (Path.IsPathFullyQualified(path)) return new SecretSource(SecretSourceKind.File, path);
            s.Error(key, "file: must be followed by an absolute path");
            return null;
        }
        if (!secret) return new SecretSource(SecretSourceKind.Literal, text);
        s.Error(key, "a secret must not be written in providers.yaml; write env:VARIABLE or file:/path/to/secret instead");
        return null;
    }

    private static void Check(ConfigSection s, ProviderAuth auth, Uri? providerUrl)
    {
        // Presence, not the value read: a refused literal secret is one error, not two.
        bool user = s.Has("username"), password = s.Has("password");
        switch (auth.Scheme)
        {
            case AuthScheme.Basic or AuthScheme.TapLogin when user != password:
                s.Error(user ? "password" : "username", "username and password go together (both, or neither for user credentials only)");
                break;
            case AuthScheme.Bearer when !s.Has("token"):
                s.Error("token", "is required for scheme bearer");
                break;
            case AuthScheme.Oidc when auth.TokenUrl is null:
                s.Error("tokenUrl", "is required for scheme oidc");
                break;
            case AuthScheme.Oidc when auth.Grant == OidcGrant.Password && user != password:
                s.Error(user ? "password" : "username", "the password grant needs username and password (or neither)");
                break;
        }
        if (auth.Scheme == AuthScheme.Oidc && auth.Grant == OidcGrant.ClientCredentials && auth.ClientId is not null && auth.ClientSecret is null)
            s.Error("clientSecret", "the client_credentials grant needs clientSecret");
        if (auth.Scheme == AuthScheme.Oidc && auth.ClientId is null && (auth.Grant == OidcGrant.ClientCredentials && auth.ClientSecret is not null))
            s.Error("clientId", "is required with clientSecret");
        if (providerUrl is null) return;
        // Credentials and the login go only to the provider's own host and port.
        if (auth.TokenUrl is { } token && !RegistryHosts.SameService(token, providerUrl) && !auth.TokenUrlOnOtherHost)
            s.Error("tokenUrl", $"is not on the provider's host and port ({providerUrl.Authority}): the broker sends credentials to no other " +
                "address unless you say so (tokenUrlOnOtherHost: true, for an archive whose token service runs elsewhere)");
        if (auth.LoginUrl is { } login && !RegistryHosts.SameService(login, providerUrl))
            s.Error("loginUrl", $"must be on the provider's host and port ({providerUrl.Authority})");
    }
}
