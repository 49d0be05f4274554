using System.Security.Cryptography;
using System.Text;

namespace Broker.Core.Services;

/// <summary>
/// What every log line shows instead of a session id (a bearer credential): 12 hex digits of an HMAC-SHA256 of the
/// id, keyed with the configured <c>Sessions:LogHashKey</c> (set once at start-up, so instances sharing the key give
/// one user the same hash) or else a random per-process key. A leaked log cannot be replayed as a session, while one
/// user's lines (engine, provider calls, request log) still match.
/// </summary>
public static class SessionLogHash
{
    private static readonly byte[] ProcessKey = RandomNumberGenerator.GetBytes(32);
    private static byte[]? _configuredKey;

    /// <summary>Sets the key of this process's log hashes (null or empty keeps the random per-process key).</summary>
    public static void Configure(string? key) => _configuredKey = string.IsNullOrEmpty(key) ? null : Encoding.UTF8.GetBytes(key);

    /// <summary>The hash under the configured key; null for a session-less request.</summary>
    public static string? Of(string? sessionId) => sessionId is null ? null : Hash(_configuredKey ?? ProcessKey, sessionId);

    /// <summary>The hash under <paramref name="key"/> (the per-process key when null).</summary>
    public static string Of(string sessionId, string? key) =>
        Hash(string.IsNullOrEmpty(key) ? _configuredKey ?? ProcessKey : Encoding.UTF8.GetBytes(key), sessionId);

    private static string Hash(byte[] key, string sessionId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(sessionId)))[..12];
}
