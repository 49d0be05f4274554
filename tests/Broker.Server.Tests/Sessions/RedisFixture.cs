using Broker.Testing;

namespace Broker.Server.Tests.Sessions;

/// <summary>One real redis-server per test class.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>Broker settings pointing at this Redis, plus overrides.</summary>
    public Dictionary<string, string?> Settings(params (string Key, string? Value)[] overrides)
    {
        var settings = new Dictionary<string, string?> { ["Redis:Configuration"] = Server.Configuration };
        foreach (var (key, value) in overrides) settings[key] = value;
        return settings;
    }
}
