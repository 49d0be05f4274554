using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Broker.Server.UserCredentials;

/// <summary>What a download link grants: one file of one provider, fetched with one session's credentials, until it expires.</summary>
public sealed record DownloadGrant(string SessionId, string Provider, string FileId, string Url, DateTimeOffset ExpiresAt);

/// <summary>
/// The opaque tokens of <c>/api/v1/download/{token}</c>: a <see cref="DownloadGrant"/> encrypted and authenticated with
/// Data Protection (the shared key ring, so any instance honours a link another issued). Nothing in a token can be
/// read or changed by its holder; it names no secret, only the session whose credentials the download uses.
/// </summary>
public sealed class DownloadLinks(IDataProtectionProvider protection, TimeProvider time, DownloadOptions options)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Broker.Downloads.v1");
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A fresh token for the file at <paramref name="url"/>.</summary>
    public string Issue(string sessionId, string providerId, string fileId, string url) =>
        _protector.Protect(JsonSerializer.Serialize(new DownloadGrant(sessionId, providerId, fileId, url, time.GetUtcNow() + options.LinkLifetime), Json));

    /// <summary>The grant of a token; null when the token is not one of ours (or was altered). Expiry is the caller's to check.</summary>
    public DownloadGrant? Open(string token)
    {
        try
        {
            return JsonSerializer.Deserialize<DownloadGrant>(_protector.Unprotect(token), Json);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or JsonException)
        {
            return null;
        }
    }

    public bool IsExpired(DownloadGrant grant) => time.GetUtcNow() >= grant.ExpiresAt;
}
