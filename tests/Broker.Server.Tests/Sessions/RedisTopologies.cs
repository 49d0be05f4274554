using Broker.Testing;

namespace Broker.Server.Tests.Sessions;

[CollectionDefinition(Name)]
public sealed class RedisClusterCollection : ICollectionFixture<RedisClusterFixture>
{
    public const string Name = "Redis Cluster";
}

[CollectionDefinition(Name)]
public sealed class RedisSentinelCollection : ICollectionFixture<RedisSentinelFixture>
{
    public const string Name = "Redis Sentinel";
}

internal static class RedisSettings
{
    /// <summary>Broker settings pointing at this Redis deployment, plus overrides.</summary>
    public static Dictionary<string, string?> Settings(this RedisTopologyFixture redis, params (string Key, string? Value)[] overrides)
    {
        var settings = new Dictionary<string, string?> { ["Redis:Configuration"] = redis.Redis.Configuration };
        foreach (var (key, value) in overrides) settings[key] = value;
        return settings;
    }
}
