using Broker.Sessions.Memory;
using StackExchange.Redis;

namespace Broker.Sessions.Redis;

/// <summary>
/// A one-minute window per key counted in Redis, so the limit holds across instances. While Redis is unavailable
/// the window is counted in this process instead: the limit still holds per instance rather than not at all.
/// </summary>
internal sealed class RedisRateLimiter(RedisConnection redis, BrokerSessionOptions options, MemoryRateLimiter fallback) : IRateLimiter
{
    private const long WindowMs = 60_000;

    public async Task<RateLimitDecision> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var result = await redis.RunAsync(db => db.ScriptEvaluateAsync(RedisScripts.CountRequest, [RedisKeys.Rate(key)], [WindowMs]), cancellationToken)
                .ConfigureAwait(false);
            var values = (RedisResult[])result!;
            var count = (long)values[0];
            var left = TimeSpan.FromMilliseconds(Math.Max(0, (long)values[1]));
            var limit = options.RateLimitPerMinute;
            return new RateLimitDecision(count <= limit, limit, (int)Math.Max(0, limit - count), left);
        }
        catch (SessionStoreUnavailableException)
        {
            return await fallback.AcquireAsync(key, cancellationToken).ConfigureAwait(false);
        }
    }
}
