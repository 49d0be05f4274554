namespace Broker.Core.Configuration;

/// <summary>How a provider wants credentials (providers.yaml <c>auth.scheme</c>).</summary>
public enum AuthScheme
{
    /// <summary>HTTP Basic (TAO, ESO's data portal).</summary>
    Basic,
    /// <summary>A static bearer token.</summary>
    Bearer,
    /// <summary>An OIDC/OAuth2 token endpoint (client_credentials or password grant); the token is renewed before it expires.</summary>
    Oidc,
    /// <summary>ESAC TAP+ login: POST {url}/login with username and password; the session cookie goes with every later call.</summary>
    TapLogin,
}

/// <summary>The OAuth2 grant an <see cref="AuthScheme.Oidc"/> provider uses for the broker's own token.</summary>
public enum OidcGrant
{
    ClientCredentials,
    Password,
}

/// <summary>Where a value comes from: <c>env:NAME</c>, <c>file:/path</c>, or (only for non-secret values such as a username) the literal text.</summary>
public sealed record SecretSource(SecretSourceKind Kind, string Name)
{
    /// <summary>How providers.yaml writes it; for a literal only "literal" (usernames are not echoed either).</summary>
    public override string ToString() => Kind switch
    {
        SecretSourceKind.Environment => "env:" + Name,
        SecretSourceKind.File => "file:" + Name,
        _ => "literal",
    };
}

public enum SecretSourceKind
{
    Literal,
    Environment,
    File,
}

/// <summary>
/// A provider's <c>auth:</c> section: the scheme the provider speaks and, optionally, the broker's own (service)
/// credential for it. Secrets are never in the file, only where to read them (<see cref="SecretSource"/>). Without a
/// service credential the provider is asked anonymously, and the scheme says how a user's own credential is used.
/// </summary>
public sealed record ProviderAuth
{
    public required AuthScheme Scheme { get; init; }
    /// <summary>Service username (Basic, TapLogin, Oidc password grant); literal, env: or file:.</summary>
    public SecretSource? Username { get; init; }
    /// <summary>Service password (env: or file:).</summary>
    public SecretSource? Password { get; init; }
    /// <summary>Static bearer token (env: or file:).</summary>
    public SecretSource? Token { get; init; }
    /// <summary>OIDC token endpoint; on the provider's host and port unless <see cref="TokenUrlOnOtherHost"/>.</summary>
    public Uri? TokenUrl { get; init; }
    /// <summary>
    /// The operator's explicit leave for a token endpoint on another host (ESO's token service is not on its TAP host).
    /// That address then belongs to this provider for the token call only: provider calls, and their credentials, still
    /// go to the provider's own host and port alone.
    /// </summary>
    public bool TokenUrlOnOtherHost { get; init; }
    public OidcGrant Grant { get; init; } = OidcGrant.ClientCredentials;
    public SecretSource? ClientId { get; init; }
    public SecretSource? ClientSecret { get; init; }
    /// <summary>OAuth2 scope asked for, when the provider wants one.</summary>
    public string? Scope { get; init; }
    /// <summary>The part of <c>expires_in</c> after which a token is renewed. <value>Default 0.8.</value></summary>
    public double RenewAt { get; init; } = 0.8;
    /// <summary>TAP+ login URL. <value>Default: {url}/login.</value></summary>
    public Uri? LoginUrl { get; init; }

    /// <summary>True when the broker itself has a credential for this provider (else it asks anonymously).</summary>
    public bool HasServiceCredential => Scheme switch
    {
        AuthScheme.Bearer => Token is not null,
        AuthScheme.Oidc => Grant == OidcGrant.ClientCredentials ? ClientId is not null : Username is not null,
        _ => Username is not null,
    };

    /// <summary>Every source the service credential reads (for the start-up check that they resolve).</summary>
    public IEnumerable<(string Key, SecretSource Source)> Sources()
    {
        if (Username is not null) yield return ("username", Username);
        if (Password is not null) yield return ("password", Password);
        if (Token is not null) yield return ("token", Token);
        if (ClientId is not null) yield return ("clientId", ClientId);
        if (ClientSecret is not null) yield return ("clientSecret", ClientSecret);
    }
}
