using Broker.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Broker.Sessions.Tests.Redis;

/// <summary>
/// A real redis-server, the session services exactly as AddBrokerSessions registers them, and a separate client to
/// inspect what the store wrote.
/// </summary>
public abstract class RedisStoreTestBase(TimeSpan redisTimeout) : IAsyncLifetime
{
    protected RedisServer Redis { get; private set; } = null!;
    protected ServiceProvider Services { get; private set; } = null!;
    protected ConnectionMultiplexer Inspector { get; private set; } = null!;

    protected ISessionStore Store => Services.GetRequiredService<ISessionStore>();
    protected IDatabase Db => Inspector.GetDatabase();

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = Redis.Configuration, ["Sessions:MaxStoredQueries"] = "2", ["Sessions:MaxStoredRecords"] = "1200",
            ["Sessions:RedisTimeout"] = redisTimeout.ToString("c"), ["Sessions:Expiry"] = "01:00:00",
        }).Build();
        Services = new ServiceCollection().AddLogging().AddBrokerSessions(configuration).BuildServiceProvider();
        foreach (var hosted in Services.GetServices<IHostedService>()) await hosted.StartAsync(CancellationToken.None);
        // A loaded test machine can stall a synchronous SCAN beyond the 1 s default; this client only inspects.
        Inspector = await ConnectionMultiplexer.ConnectAsync(Redis.Configuration + ",syncTimeout=15000");
    }

    public async Task DisposeAsync()
    {
        Inspector.Dispose();
        await Services.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
