namespace Broker.Sessions;

/// <summary>The answer of the rate limiter for one request.</summary>
/// <param name="RetryAfter">When the caller may try again (meaningful when not allowed).</param>
public sealed record RateLimitDecision(bool Allowed, int Limit, int Remaining, TimeSpan RetryAfter);

/// <summary>A fixed one-minute window of requests per key (session, or client address for session-less callers).</summary>
public interface IRateLimiter
{
    /// <summary>Counts one request for <paramref name="key"/> and says whether it may proceed.</summary>
    Task<RateLimitDecision> AcquireAsync(string key, CancellationToken cancellationToken);
}
