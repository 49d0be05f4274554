using System.Text;
using Broker.EndToEnd.Tests.Infrastructure;
using Broker.Simulators;
using Broker.Testing;

namespace Broker.EndToEnd.Tests.Sessions;

/// <summary>
/// Two real brokers (A and B, the production composition root on two ports) over the same simulators and the same
/// real redis-server, as two instances behind a load balancer would be. Tests use their own time windows so the
/// shared result cache never links them, and their own sessions (Redis may have been restarted by the outage test).
/// </summary>
public sealed class SessionFederationFixture : IAsyncLifetime
{
    public RunningSimulators Sims { get; private set; } = null!;
    public RedisServer Redis { get; private set; } = null!;
    public BrokerHost A { get; private set; } = null!;
    public BrokerHost B { get; private set; } = null!;

    public static SimulatorOptions SimulatorSet() => new()
    {
        Providers =
        [
            new() { Name = "soar", Kind = SimulatorKind.Soar, Seed = 11, RecordCount = 20_000 },
            new() { Name = "sdo", Kind = SimulatorKind.ObsCore, Seed = 12, RecordCount = 20_000 },
            new() { Name = "slow", Kind = SimulatorKind.Soar, Seed = 13, RecordCount = 5_000 },
        ],
    };

    public static string ProvidersYaml(RunningSimulators sims)
    {
        var y = new StringBuilder("providers:\n");
        foreach (var (id, profile) in new[] { ("soar", "soar"), ("sdo", "obscore"), ("slow", "soar") })
            y.Append($"  {id}:\n    type: tap\n    url: {sims.TapUrl(id)}\n    resilience: {{ timeout: 15s, retries: 0, breakerMinimumThroughput: 100 }}\n" +
                     $"    options: {{ profile: {profile}, mode: sync }}\n");
        return y.ToString();
    }

    /// <summary>The settings of a broker instance over this fixture's Redis; <paramref name="rateLimit"/> 0 is off.</summary>
    public Dictionary<string, string> Settings(int rateLimit = 0) => new()
    {
        ["Search:Deadline"] = "00:00:30",
        ["Redis:Configuration"] = Redis.Configuration,
        ["Sessions:RateLimitPerMinute"] = rateLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Sessions:RedisMaxBackoff"] = "00:00:01",
        // The simulators share two cores with the test run: give Redis calls room so load is not mistaken for an outage
        // (a stopped Redis still fails at once: connection refused, then the store's circuit answers without waiting).
        ["Sessions:RedisTimeout"] = "00:00:05",
    };

    public Task<BrokerHost> StartBrokerAsync(int rateLimit = 0) => BrokerHost.StartAsync(ProvidersYaml(Sims), Settings(rateLimit));

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        Sims = await SimulatorHost.StartAsync(SimulatorSet());
        A = await StartBrokerAsync();
        B = await StartBrokerAsync();
    }

    public async Task DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
        await Sims.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SessionFederationCollection : ICollectionFixture<SessionFederationFixture>
{
    public const string Name = "sessions-federation";
}
