using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Broker.Core.Credentials;
using Broker.Sessions;
using Microsoft.AspNetCore.DataProtection;

namespace Broker.Server.UserCredentials;

/// <summary>
/// Users' own provider credentials in their session: encrypted with ASP.NET Core Data Protection before they reach the
/// session store (the key ring is shared by all instances through Redis, see <see cref="RedisKeyRing"/>), each value
/// bound to its session and provider (a value copied into another session or under another provider does not decrypt).
/// </summary>
public sealed partial class UserCredentialVault(
    ISessionCredentialStore store, IDataProtectionProvider protection, TimeProvider time, ILogger<UserCredentialVault> logger)
{
    private const string Purpose = "Broker.UserCredentials.v2";

    /// <summary>What the listing shows of a stored credential: never its values.</summary>
    public sealed record StoredCredentialInfo(string Provider, string Kind, DateTimeOffset SetAt);

    /// <summary>Stores the credential encrypted; false when the session is gone.</summary>
    public Task<bool> SetAsync(string sessionId, string providerId, ProviderCredential credential, CancellationToken cancellationToken)
    {
        var sealedValue = new SealedCredential(credential.Kind == CredentialKind.Password ? "password" : "token",
            credential.Username, credential.RevealSecret(), time.GetUtcNow());
        var json = JsonSerializer.Serialize(sealedValue, SealedCredential.Json);
        return store.SetCredentialAsync(sessionId, Key(providerId), Protector(sessionId, providerId).Protect(json), cancellationToken);
    }

    public Task<bool> RemoveAsync(string sessionId, string providerId, CancellationToken cancellationToken) =>
        store.RemoveCredentialAsync(sessionId, Key(providerId), cancellationToken);

    /// <summary>The session's credentials, decrypted, ready for a search or GetData (null when it has none).</summary>
    public async Task<CallerCredentials?> GetAsync(string sessionId, CancellationToken cancellationToken)
    {
        var opened = await OpenAllAsync(sessionId, cancellationToken).ConfigureAwait(false);
        return opened.Count == 0 ? null
            : new CallerCredentials(opened.Select(o => KeyValuePair.Create(o.Provider, o.Credential)));
    }

    /// <summary>Which providers the session has credentials for, of what kind and since when.</summary>
    public async Task<IReadOnlyList<StoredCredentialInfo>> ListAsync(string sessionId, CancellationToken cancellationToken) =>
        (await OpenAllAsync(sessionId, cancellationToken).ConfigureAwait(false))
            .Select(o => new StoredCredentialInfo(o.Provider, o.Kind, o.SetAt)).OrderBy(i => i.Provider, StringComparer.Ordinal).ToList();

    private async Task<List<(string Provider, string Kind, DateTimeOffset SetAt, ProviderCredential Credential)>> OpenAllAsync(
        string sessionId, CancellationToken cancellationToken)
    {
        var stored = await store.GetCredentialsAsync(sessionId, cancellationToken).ConfigureAwait(false);
        var opened = new List<(string, string, DateTimeOffset, ProviderCredential)>(stored.Count);
        foreach (var (provider, value) in stored)
        {
            try
            {
                var s = JsonSerializer.Deserialize<SealedCredential>(Protector(sessionId, provider).Unprotect(value), SealedCredential.Json)!;
                var credential = s.Kind == "password" ? ProviderCredential.Password(s.Username!, s.Secret) : ProviderCredential.Token(s.Secret);
                opened.Add((provider, s.Kind, s.SetAt, credential));
            }
            catch (Exception ex) when (ex is CryptographicException or JsonException or ArgumentException)
            {
                // A key ring that lost its keys (Redis flushed) or a value from elsewhere: that credential is unusable;
                // the user is asked anonymously and sees it missing from the listing, never someone else's.
                LogUnreadable(logger, provider, ex.GetType().Name);
            }
        }
        return opened;
    }

    /// <summary>Provider ids are case-insensitive in the registry: one stored entry per provider.</summary>
    private static string Key(string providerId) => providerId.ToLowerInvariant();

    /// <remarks>
    /// Bound to a digest of the session id, not the id itself: Data Protection writes its purposes into its debug log
    /// lines, and session ids never appear in logs.
    /// </remarks>
    private IDataProtector Protector(string sessionId, string providerId) =>
        protection.CreateProtector(Purpose, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sessionId))), Key(providerId));

    private sealed record SealedCredential(string Kind, string? Username, string Secret, DateTimeOffset SetAt)
    {
        public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    }

    [LoggerMessage(EventId = 3300, Level = LogLevel.Warning, Message = "A stored credential for provider {ProviderId} cannot be decrypted ({Problem}); ignored")]
    private static partial void LogUnreadable(ILogger logger, string providerId, string problem);
}
