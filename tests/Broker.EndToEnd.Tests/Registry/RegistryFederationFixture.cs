using System.Text;
using Broker.EndToEnd.Tests.Infrastructure;
using Broker.Simulators;
using Broker.Testing;

namespace Broker.EndToEnd.Tests.Registry;

/// <summary>
/// One real broker with a real PostgreSQL 15 (its own database) over its own simulators. The providers file starts
/// with soar, sdo, spare and gone; nrh runs but is only added by the reload test.
/// </summary>
public sealed class RegistryFederationFixture : IAsyncLifetime
{
    public RunningSimulators Sims { get; private set; } = null!;
    public PostgresServer Postgres { get; private set; } = null!;
    public BrokerHost Broker { get; private set; } = null!;
    public const string Database = "broker_e2e";

    /// <summary>Query-log entries the broker holds while PostgreSQL is down (small, so the outage test sees drops).</summary>
    public const int QueryLogCapacity = 4;

    public static SimulatorOptions SimulatorSet() => new()
    {
        Providers =
        [
            new() { Name = "soar", Kind = SimulatorKind.Soar, Seed = 21, RecordCount = 10_000 },
            new() { Name = "sdo", Kind = SimulatorKind.ObsCore, Seed = 22, RecordCount = 10_000 },
            new() { Name = "nrh", Kind = SimulatorKind.EpnTap, Seed = 23, RecordCount = 5_000, Schema = "nrh" },
        ],
    };

    /// <summary>The providers file: <paramref name="spareTimeout"/> changes spare; <paramref name="withNrh"/> and <paramref name="withGone"/> add/remove.</summary>
    public string ProvidersYaml(string spareTimeout = "10s", bool withNrh = false, bool withGone = true)
    {
        var y = new StringBuilder("providers:\n");
        void Tap(string id, string sim, string profile, string timeout = "10s", string extra = "") =>
            y.Append($"  {id}:\n    type: tap\n    url: {Sims.TapUrl(sim)}\n    resilience: {{ timeout: {timeout}, retries: 0 }}\n" +
                     $"    options: {{ profile: {profile}, mode: sync{extra} }}\n");
        Tap("soar", "soar", "soar");
        Tap("sdo", "sdo", "obscore");
        Tap("spare", "soar", "soar", spareTimeout);
        if (withGone) Tap("gone", "sdo", "obscore");
        if (withNrh) Tap("nrh", "nrh", "epntap", extra: ", schema: nrh");
        return y.ToString();
    }

    public async Task InitializeAsync()
    {
        Postgres = await Task.Run(PostgresServer.StartNew);
        var connectionString = await Task.Run(() => Postgres.CreateDatabase(Database));
        Sims = await SimulatorHost.StartAsync(SimulatorSet());
        Broker = await BrokerHost.StartAsync(ProvidersYaml(), new Dictionary<string, string>
        {
            ["Search:Deadline"] = "00:00:30",
            ["Sessions:RateLimitPerMinute"] = "0",
            ["Postgres:ConnectionString"] = connectionString,
            ["Postgres:QueryLogCapacity"] = QueryLogCapacity.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Postgres:RetryInitialDelay"] = "200ms",
            ["Postgres:RetryMaxDelay"] = "1s",
        });
    }

    public async Task DisposeAsync()
    {
        await Broker.DisposeAsync();
        await Sims.DisposeAsync();
        await Task.Run(Postgres.Dispose);
    }

    /// <summary>Runs SQL in the broker's database (test set-up and checks only).</summary>
    public Task<string> SqlAsync(string sql) => Task.Run(() => Postgres.Psql(Database, sql));
}

[CollectionDefinition(Name)]
public sealed class RegistryFederationCollection : ICollectionFixture<RegistryFederationFixture>
{
    public const string Name = "registry-federation";
}
