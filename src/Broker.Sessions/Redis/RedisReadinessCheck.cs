using Broker.Core.Services;

namespace Broker.Sessions.Redis;

/// <summary>Redis for /health/ready: a PING through the guarded connection; down means Degraded (the broker runs on without it).</summary>
internal sealed class RedisReadinessCheck(RedisConnection redis) : IReadinessCheck
{
    public async Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            var latency = await redis.RunAsync(db => db.PingAsync(), cancellationToken).ConfigureAwait(false);
            return new ReadinessResult("redis", ReadinessStatus.Healthy, $"sessions and result cache in Redis (ping {latency.TotalMilliseconds:0.#} ms)");
        }
        catch (SessionStoreUnavailableException ex)
        {
            return new ReadinessResult("redis", ReadinessStatus.Degraded,
                $"{ex.Message}; searches run uncached and session-less until it is back");
        }
    }
}
