using System.Globalization;
using Broker.Sessions;

namespace Broker.Server.Sessions;

/// <summary>
/// The IETF <c>RateLimit-Policy</c> and <c>RateLimit</c> response fields (draft-ietf-httpapi-ratelimit-headers,
/// Structured Field lists): a script reads its quota, what is left of it, and when the window resets, instead of
/// learning the limit from a 429. The policy is named after what is counted: the session, or the caller's address.
/// </summary>
internal static class RateLimitFields
{
    public const string PolicyHeader = "RateLimit-Policy";
    public const string StateHeader = "RateLimit";

    /// <summary>Window of the limiters (<see cref="IRateLimiter"/>): one minute.</summary>
    private const int WindowSeconds = 60;

    public static void Write(HttpResponse response, RateLimitDecision decision, bool perSession)
    {
        var policy = perSession ? "session" : "address";
        var reset = Math.Max(0, (int)Math.Ceiling(decision.RetryAfter.TotalSeconds));
        response.Headers[PolicyHeader] = string.Create(CultureInfo.InvariantCulture, $"\"{policy}\";q={decision.Limit};w={WindowSeconds}");
        response.Headers[StateHeader] = string.Create(CultureInfo.InvariantCulture, $"\"{policy}\";r={decision.Remaining};t={reset}");
    }
}
