using System.Security.Cryptography;
using Broker.Core.Services;

namespace Broker.Sessions;

/// <summary>Session ids: 128 bits from a cryptographic RNG, written as 32 lower-case hex digits.</summary>
public static class SessionId
{
    /// <summary>A fresh, unguessable id.</summary>
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>True for text shaped like an id; anything else is rejected before a store is asked.</summary>
    public static bool IsWellFormed(string? text) =>
        text is { Length: 32 } && text.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    /// <summary>What a log line shows instead of a session id: <see cref="SessionLogHash.Of(string, string?)"/>.</summary>
    public static string ForLog(string sessionId, string? key) => SessionLogHash.Of(sessionId, key);
}
