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
    }

    public async Task DisposeAsync() => await Services.DisposeAsync();
}
