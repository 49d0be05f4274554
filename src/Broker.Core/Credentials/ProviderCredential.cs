using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Broker.Core.Credentials;

/// <summary>What a <see cref="ProviderCredential"/> holds.</summary>
public enum CredentialKind
{
    /// <summary>A username and password: sent as HTTP Basic, or used for the provider's login (ESAC TAP+ /login, an OIDC password grant), as its providers.yaml <c>auth.scheme</c> says.</summary>
    Password,
    /// <summary>A bearer token (an OIDC access token the user obtained), sent as <c>Authorization: Bearer</c>.</summary>
    Token,
}

/// <summary>
/// A caller's credential for one provider. The secret is readable only through <see cref="RevealSecret"/>, which the one
/// outbound place that applies credentials (and the encrypted session store) calls: <see cref="ToString"/> and JSON
/// serialization show the kind only, so a credential logged or serialized by mistake leaks nothing.
/// </summary>
[JsonConverter(typeof(ProviderCredentialJsonConverter))]
public sealed class ProviderCredential : IEquatable<ProviderCredential>
{
    /// <summary>Longest username accepted.</summary>
    public const int MaxUsernameLength = 256;
    /// <summary>Longest password or token accepted (OIDC access tokens of a few kB included).</summary>
    public const int MaxSecretLength = 16 * 1024;

    private readonly string _secret;

    private ProviderCredential(CredentialKind kind, string? username, string secret)
    {
        Kind = kind;
        Username = username;
        _secret = secret;
    }

    public CredentialKind Kind { get; }

    /// <summary>The username of a <see cref="CredentialKind.Password"/> credential (not a secret, but personal: not logged either).</summary>
    public string? Username { get; }

    /// <summary>
    /// A username and password. Throws <see cref="ArgumentException"/> (the caller's error) for empty values, control
    /// characters (they would break an HTTP header), a ':' in the username (HTTP Basic cannot carry it) or overlong values.
    /// </summary>
    public static ProviderCredential Password(string username, string password)
    {
        Check(username, nameof(username), MaxUsernameLength);
        if (username.Contains(':', StringComparison.Ordinal)) throw new ArgumentException("the username must not contain ':'", nameof(username));
        Check(password, nameof(password), MaxSecretLength);
        return new ProviderCredential(CredentialKind.Password, username, password);
    }

    /// <summary>A bearer token; throws <see cref="ArgumentException"/> for an empty or overlong token, or one with blanks or control characters.</summary>
    public static ProviderCredential Token(string token)
    {
        Check(token, nameof(token), MaxSecretLength);
        if (token.Any(char.IsWhiteSpace)) throw new ArgumentException("the token must not contain blanks", nameof(token));
        return new ProviderCredential(CredentialKind.Token, null, token);
    }

    /// <summary>The password or token. Only for the code that sends it to its provider or stores it encrypted.</summary>
    public string RevealSecret() => _secret;

    /// <summary>
    /// A short one-way digest of the whole credential, to key per-credential state (a login cookie, a token) without
    /// keeping the secret as a key. Not shown to anyone either.
    /// </summary>
    public string Fingerprint()
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{Kind}\n{Username}\n{_secret}"));
        return Convert.ToHexString(bytes, 0, 16);
    }

    public override string ToString() => Kind == CredentialKind.Password ? "password credential (hidden)" : "token credential (hidden)";

    public bool Equals(ProviderCredential? other) =>
        other is not null && Kind == other.Kind && Username == other.Username && CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(_secret), Encoding.UTF8.GetBytes(other._secret));

    public override bool Equals(object? obj) => Equals(obj as ProviderCredential);

    public override int GetHashCode() => HashCode.Combine(Kind, Username);

    private static void Check(string value, string name, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        if (value.Length == 0) throw new ArgumentException($"the {name} must not be empty", name);
        if (value.Length > maxLength) throw new ArgumentException($"the {name} is longer than {maxLength} characters", name);
        if (value.Any(char.IsControl)) throw new ArgumentException($"the {name} must not contain control characters", name);
    }
}

/// <summary>Writes a credential as <c>{"kind":"password"}</c> (never the secret or username); refuses to read one.</summary>
public sealed class ProviderCredentialJsonConverter : JsonConverter<ProviderCredential>
{
    public override ProviderCredential Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("credentials are not read from JSON implicitly; build them with ProviderCredential.Password or .Token");

    public override void Write(Utf8JsonWriter writer, ProviderCredential value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", value.Kind == CredentialKind.Password ? "password" : "token");
        writer.WriteEndObject();
    }
}
