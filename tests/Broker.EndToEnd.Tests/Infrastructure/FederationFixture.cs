using System.Text;
using Broker.Simulators;

namespace Broker.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The simulated federation every end-to-end test runs against: a SOAR-like TAP service, an ObsCore TAP service,
/// an EPN-TAP service and a legacy VSOi SOAP provider, plus providers reserved for fault tests — and one real broker
/// over all of them. Tests pick providers with <c>providers=</c> so fault tests never disturb the others.
/// </summary>
public sealed class FederationFixture : IAsyncLifetime
{
    public RunningSimulators Sims { get; private set; } = null!;
    public BrokerHost Broker { get; private set; } = null!;

    /// <summary>A search window with data from every simulated provider (the fault-test providers are never cached).</summary>
    public const string Window = "start=2022-03-21T00:00:00Z&end=2022-03-22T00:00:00Z";

    public static SimulatorOptions SimulatorSet() => new()
    {
        Providers =
        [
            new() { Name = "soar", Kind = SimulatorKind.Soar, Seed = 1, RecordCount = 40_000 },
            new() { Name = "sdo", Kind = SimulatorKind.ObsCore, Seed = 2, RecordCount = 30_000 },
            new() { Name = "nrh", Kind = SimulatorKind.EpnTap, Seed = 3, RecordCount = 20_000, Schema = "nrh" },
            new() { Name = "legacy", Kind = SimulatorKind.Vsoi, Seed = 4, RecordCount = 20_000 },
            new() { Name = "flaky", Kind = SimulatorKind.Soar, Seed = 5, RecordCount = 5_000 },
            new() { Name = "breaker", Kind = SimulatorKind.Soar, Seed = 6, RecordCount = 2_000 },
            new() { Name = "slowjobs", Kind = SimulatorKind.Soar, Seed = 7, RecordCount = 5_000 },
        ],
    };

    /// <summary>The providers file for <paramref name="sims"/> (the same shape as deploy/providers.demo.yaml).</summary>
    public static string ProvidersYaml(RunningSimulators sims)
    {
        var y = new StringBuilder("providers:\n");
        void Tap(string id, string profile, string extraOptions = "", string resilience = "timeout: 10s, retries: 1", string caps = "", bool cache = true)
        {
            y.Append($"  {id}:\n    type: tap\n    url: {sims.TapUrl(id)}\n");
            if (caps.Length > 0) y.Append($"    capabilities: {caps}\n");
            if (!cache) y.Append("    cache: { enabled: false }\n");
            y.Append($"    resilience: {{ {resilience} }}\n    options: {{ profile: {profile}{extraOptions} }}\n");
        }
        Tap("soar", "soar", ", mode: sync");
        Tap("sdo", "obscore", ", mode: sync", caps: "{ instruments: [AIA, HMI] }");
        Tap("nrh", "epntap", ", schema: nrh, mode: sync");
        y.Append($"  legacy:\n    type: soap\n    url: {sims.BaseUrl("legacy")}\n    capabilities: {{ providers: [LEGACY], instruments: [AIA, HMI] }}\n" +
                 "    resilience: { timeout: 10s, retries: 1 }\n    options: { providers: [LEGACY] }\n");
        Tap("flaky", "soar", ", mode: sync", resilience: "timeout: 1s, retries: 0, breakerMinimumThroughput: 100", cache: false);
        Tap("breaker", "soar", ", mode: sync", resilience: "timeout: 2s, retries: 0, breakerMinimumThroughput: 2, breakerBreakDuration: 5m", cache: false);
        // No instrument views: one UWS job per search, so the job-lifecycle tests count exactly.
        Tap("slowjobs", "soar", ", mode: async, pollInterval: 100ms, maxPollInterval: 300ms, instrumentTables: {}", resilience: "timeout: 3s, retries: 0, breakerMinimumThroughput: 100", cache: false);
        return y.ToString();
    }

    public async Task InitializeAsync()
    {
        Sims = await SimulatorHost.StartAsync(SimulatorSet());
        Broker = await BrokerHost.StartAsync(ProvidersYaml(Sims), new Dictionary<string, string>
        {
            ["Search:Deadline"] = "00:00:20",
            ["Sessions:RateLimitPerMinute"] = "0",
            // Jobs a provider did not let the broker delete are deleted again soon (production waits 30 s, doubling).
            ["OrphanedJobs:SweepInterval"] = "100ms",
            ["OrphanedJobs:RetryInitial"] = "200ms",
            ["OrphanedJobs:RetryMax"] = "1s",
        });
    }

    public async Task DisposeAsync()
    {
        await Broker.DisposeAsync();
        await Sims.DisposeAsync();
    }

    /// <summary>Clears the faults and counters of the fault-test providers.</summary>
    public void ResetFaults()
    {
        foreach (var id in new[] { "flaky", "breaker", "slowjobs" })
        {
            Sims.SetFault(id, FaultSpec.None);
            Sims.ResetCalls(id);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class FederationCollection : ICollectionFixture<FederationFixture>
{
    public const string Name = "federation";
}
