using Broker.Core.Services;

namespace Broker.Sessions.Redis;

/// <summary>
/// Redis for /health/ready: a PING and a small write through the guarded connection. A server that answers but
/// refuses writes (out of memory, read-only replica, loading) cannot keep sessions either, so it is as Degraded as
/// one that is down (the broker runs on without it).
/// </summary>
internal sealed class RedisReadinessCheck(RedisConnection redis) : IReadinessCheck
{
    private static readonly TimeSpan ProbeLifetime = TimeSpan.FromSeconds(30);

    public async Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            var latency = await redis.RunAsync(async db =>
            {
                var ping = await db.PingAsync().ConfigureAwait(false);
                await db.StringSetAsync(RedisKeys.Ready(redis.InstanceId), "1", ProbeLifetime).ConfigureAwait(false);
                return ping;
            }, cancellationToken).ConfigureAwait(false);
            return new ReadinessResult("redis", ReadinessStatus.Healthy,
                $"sessions and result cache in Redis (ping {latency.TotalMilliseconds:0.#} ms, writes accepted)");
        }
        catch (SessionStoreUnavailableException ex)
        {
            return new ReadinessResult("redis", ReadinessStatus.Degraded,
                $"{ex.Message}; searches run uncached and session-less until it is back");
        }
    }
}
