using Xunit;

namespace Broker.Testing;

/// <summary>
/// An xunit fixture owning one started Redis deployment: per test class for a single server, per collection for a
/// Cluster or Sentinels (started once, emptied by each test). Test projects declare the collections.
/// </summary>
public abstract class RedisTopologyFixture(Func<Task<RedisTopology>> start) : IAsyncLifetime
{
    public RedisTopology Redis { get; private set; } = null!;

    public async Task InitializeAsync() => Redis = await start().ConfigureAwait(false);

    public async Task DisposeAsync() => await Redis.DisposeAsync().ConfigureAwait(false);
}

/// <summary>One redis-server.</summary>
public sealed class SingleRedisFixture() : RedisTopologyFixture(async () => await SingleRedis.StartAsync().ConfigureAwait(false))
{
    /// <summary>The server, to stop, restart or pause it.</summary>
    public RedisServer Server => ((SingleRedis)Redis).Server;
}

/// <summary>Three masters with one replica each.</summary>
public sealed class RedisClusterFixture() : RedisTopologyFixture(async () => await RedisCluster.StartAsync().ConfigureAwait(false));

/// <summary>A master and a replica behind three Sentinels.</summary>
public sealed class RedisSentinelFixture() : RedisTopologyFixture(async () => await RedisSentinels.StartAsync().ConfigureAwait(false))
{
    public RedisSentinels Sentinels => (RedisSentinels)Redis;
}
