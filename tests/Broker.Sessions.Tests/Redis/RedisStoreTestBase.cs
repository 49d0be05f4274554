using Broker.Sessions.Redis;
using Broker.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Broker.Sessions.Tests.Redis;

/// <summary>
/// A real Redis deployment (one server, a Cluster or Sentinels, emptied before each test), the session services
/// exactly as AddBrokerSessions registers them, and a separate client to inspect what the store wrote.
/// </summary>
public abstract class RedisStoreTestBase(RedisTopologyFixture fixture, TimeSpan redisTimeout) : IAsyncLifetime
{
    /// <summary>
    /// The store's per-call Redis budget for functional tests: generous for a loaded machine (as the server tests'; 2 s
    /// once ran out at load 16 there). Outage tests keep a short one.
    /// </summary>
    protected static readonly TimeSpan FunctionalTimeout = TimeSpan.FromSeconds(10);

    protected RedisTopology Redis => fixture.Redis;
    protected ServiceProvider Services { get; private set; } = null!;
    protected ConnectionMultiplexer Inspector { get; private set; } = null!;

    protected ISessionStore Store => Services.GetRequiredService<ISessionStore>();
    protected IDatabase Db => Inspector.GetDatabase();

    /// <summary>The keys matching the pattern on every master.</summary>
    protected Task<List<string>> KeysAsync(string pattern) => Redis.KeysAsync(pattern);

    public async Task InitializeAsync()
    {
        await Redis.FlushAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = Redis.Configuration, ["Sessions:MaxStoredQueries"] = "2", ["Sessions:MaxStoredRecords"] = "1200",
            ["Sessions:RedisTimeout"] = redisTimeout.ToString("c"), ["Sessions:Expiry"] = "01:00:00",
        }).Build();
        Services = new ServiceCollection().AddLogging().AddBrokerSessions(configuration).BuildServiceProvider();
        foreach (var hosted in Services.GetServices<IHostedService>()) await hosted.StartAsync(CancellationToken.None);
        Inspector = await Redis.InspectorAsync();
        // The host waits at most 5 s for the store's first connection and then starts without it (a broker never fails
        // start-up for Redis); on a loaded machine a Cluster's six connections can take longer, and the test's first
        // call would find the store "not connected yet". The tests start once every server of the deployment is connected.
        var store = await Services.GetRequiredService<RedisConnection>().GetMultiplexerAsync(CancellationToken.None);
        await Wait.UntilAsync(() => store is not null && store.GetServers().Length > 0 && store.GetServers().All(s => s.IsConnected),
            "the session store to be connected to every Redis server", TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync() => await Services.DisposeAsync();
}
