using StackExchange.Redis;

namespace Broker.Testing;

/// <summary>
/// A real Redis deployment started by the tests, as the broker would be pointed at it: one server, a Redis Cluster,
/// or a master with a replica watched by Sentinels. Tests run the same suite against each.
/// </summary>
public abstract class RedisTopology : IAsyncDisposable
{
    private ConnectionMultiplexer? _inspector;

    /// <summary>"single", "cluster" or "sentinel".</summary>
    public abstract string Name { get; }

    /// <summary>The broker's <c>Redis:Configuration</c> for this deployment.</summary>
    public abstract string Configuration { get; }

    /// <summary>
    /// A client for tests to look at what the broker wrote, connected the same way as the broker (so it follows a
    /// failover too); admin commands allowed, generous timeouts for a loaded machine.
    /// </summary>
    public async Task<ConnectionMultiplexer> InspectorAsync()
    {
        if (_inspector is { IsConnected: true }) return _inspector;
        var options = ConfigurationOptions.Parse(Configuration);
        options.AllowAdmin = true;
        options.SyncTimeout = options.AsyncTimeout = 15_000;
        options.AbortOnConnectFail = false;
        _inspector?.Dispose();
        _inspector = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        await Wait.UntilAsync(() => Task.FromResult(Masters(_inspector).Count > 0), TimeSpan.FromSeconds(30), "the inspector to reach a master")
            .ConfigureAwait(false);
        return _inspector;
    }

    /// <summary>The keys matching <paramref name="pattern"/> on every master (a cluster spreads them over its masters).</summary>
    public async Task<List<string>> KeysAsync(string pattern)
    {
        var inspector = await InspectorAsync().ConfigureAwait(false);
        var keys = new List<string>();
        foreach (var server in Masters(inspector))
            await foreach (var key in server.KeysAsync(pattern: pattern).ConfigureAwait(false)) keys.Add((string)key!);
        return keys;
    }

    /// <summary>Empties every master, so each test starts from nothing.</summary>
    public async Task FlushAsync()
    {
        var inspector = await InspectorAsync().ConfigureAwait(false);
        foreach (var server in Masters(inspector)) await server.FlushAllDatabasesAsync().ConfigureAwait(false);
    }

    private static List<IServer> Masters(ConnectionMultiplexer multiplexer) =>
        multiplexer.GetServers().Where(s => s is { IsConnected: true, IsReplica: false } && s.ServerType != ServerType.Sentinel).ToList();

    public virtual ValueTask DisposeAsync()
    {
        _inspector?.Dispose();
        _inspector = null;
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}

/// <summary>One redis-server.</summary>
public sealed class SingleRedis(RedisServer server) : RedisTopology
{
    public RedisServer Server { get; } = server;
    public override string Name => "single";
    public override string Configuration => Server.Configuration;

    public static async Task<SingleRedis> StartAsync() => new(await RedisServer.StartAsync().ConfigureAwait(false));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync().ConfigureAwait(false);
        await Server.DisposeAsync().ConfigureAwait(false);
    }
}
