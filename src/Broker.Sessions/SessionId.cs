using System.Security.Cryptography;
using System.Text;

namespace Broker.Sessions;

/// <summary>Session ids: 128 bits from a cryptographic RNG, written as 32 lower-case hex digits.</summary>
public static class SessionId
{
    /// <summary>A fresh, unguessable id.</summary>
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>True for text shaped like an id; anything else is rejected before a store is asked.</summary>
    public static bool IsWellFormed(string? text) =>
        text is { Length: 32 } && text.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    private static readonly byte[] ProcessKey = RandomNumberGenerator.GetBytes(32);

    /// <summary>
    /// What a log line shows instead of a session id: 12 hex digits of an HMAC-SHA256 keyed with
    /// <paramref name="key"/> (a random per-process key when null), so a leaked log cannot be replayed as a session
    /// while one user's lines still match.
    /// </summary>
    public static string ForLog(string sessionId, string? key) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key is null ? ProcessKey : Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(sessionId)))[..12];
}
