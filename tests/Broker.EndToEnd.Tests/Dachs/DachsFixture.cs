using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using Broker.EndToEnd.Tests.Infrastructure;

namespace Broker.EndToEnd.Tests.Dachs;

/// <summary>
/// One real DaCHS with the test data (<see cref="DachsServer"/>) for the whole run, and one real broker whose
/// providers are DaCHS's three tables, each reachable in every way the TAP adapter can ask: sync, async (UWS), auto
/// and sync with JSON answers. The entries are minimal (type, url, profile, table; mode and format where a variant
/// needs them), as a new user would write them; caching is off so every search reaches DaCHS.
/// </summary>
public sealed class DachsFixture : IAsyncLifetime
{
    /// <summary>The three tables, as provider-id prefixes.</summary>
    public const string Soar = "soar", ObsCore = "obscore", Other = "other";

    /// <summary>The ways of asking, as provider-id suffixes.</summary>
    public static readonly string[] Variants = ["sync", "async", "auto", "json"];

    private readonly ConcurrentDictionary<string, long> _counts = new();
    private readonly ConcurrentDictionary<string, Task<string>> _searches = new();

    public DachsServer Dachs { get; private set; } = null!;
    public DachsTap Tap { get; private set; } = null!;
    public BrokerHost Broker { get; private set; } = null!;

    /// <summary>The provider ids of one variant: soar-sync, obscore-sync, other-sync …</summary>
    public static string[] ProvidersOf(string variant) => [$"{Soar}-{variant}", $"{ObsCore}-{variant}", $"{Other}-{variant}"];

    public async Task InitializeAsync()
    {
        Dachs = await DachsServer.StartNewAsync();
        Tap = new DachsTap(Dachs.TapUrl);
        Broker = await BrokerHost.StartAsync(ProvidersYaml(Dachs.TapUrl), new Dictionary<string, string>
        {
            ["Search:Deadline"] = "00:02:00",
            ["Sessions:RateLimitPerMinute"] = "0",
            // Jobs a provider did not let the broker delete are deleted again soon (production waits 30 s, doubling).
            ["OrphanedJobs:SweepInterval"] = "100ms",
            ["OrphanedJobs:RetryInitial"] = "200ms",
            ["OrphanedJobs:RetryMax"] = "1s",
        });
    }

    /// <summary>DaCHS's own COUNT(*) for an ADQL query, asked once per run (DaCHS runs one query at a time).</summary>
    public async Task<long> ReferenceCountAsync(string adql)
    {
        if (_counts.TryGetValue(adql, out var n)) return n;
        n = await Tap.CountAsync(adql);
        _counts[adql] = n;
        return n;
    }

    /// <summary>
    /// The broker's JSON answer to a search (GET parameters or POST blocks) over one variant's providers, run once
    /// per run and shared by the tests that check one provider each.
    /// </summary>
    public Task<string> SearchOnceAsync(DachsCase search, string variant) =>
        _searches.GetOrAdd($"{variant}/{search.Name}", _ => SearchAsync(search, ProvidersOf(variant)));

    /// <remarks>
    /// A search in which DaCHS itself failed a provider's query with one of its transient errors (see
    /// <see cref="DachsTap.IsTransient"/>) is asked again: the broker reported it truthfully as that provider's
    /// <c>error</c>, and what these tests compare is the broker's count with DaCHS's when DaCHS answers.
    /// </remarks>
    private async Task<string> SearchAsync(DachsCase search, string[] providers)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var response = search.Blocks is null
                ? await Broker.Http.GetAsync($"/api/v1/search?{search.GetQuery}&providers={string.Join(',', providers)}&limit=100000")
                : await Broker.Http.PostAsJsonAsync("/api/v1/search", new { blocks = search.Blocks, providers, limit = 100_000 });
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"search {search.Name}: {(int)response.StatusCode} {text}");
            if (DachsTap.IsTransient(text) && attempt < DachsTap.BusyAttempts) continue;
            return text;
        }
    }

    private static string ProvidersYaml(Uri tap)
    {
        var y = new StringBuilder("providers:\n");
        foreach (var variant in Variants)
        {
            var options = variant switch
            {
                "json" => ", mode: sync, format: json",
                "async" => ", mode: async, pollInterval: 100ms, maxPollInterval: 500ms",
                "auto" => ", mode: auto, pollInterval: 100ms, maxPollInterval: 500ms",
                _ => ", mode: sync",
            };
            foreach (var (prefix, profile, table) in new[]
                     {
                         (Soar, "soar", "brokertest.soar_data"), (ObsCore, "obscore", "ivoa.obscore"), (Other, "obscore", "brokertest.obscore_other"),
                     })
            {
                y.Append($"  {prefix}-{variant}:\n    type: tap\n    url: {tap}\n    cache: {{ enabled: false }}\n")
                 .Append("    resilience: { timeout: 90s, retries: 0 }\n")
                 .Append($"    options: {{ profile: {profile}, table: {table}{options} }}\n");
            }
        }
        return y.ToString();
    }

    public async Task DisposeAsync()
    {
        if (Broker is not null) await Broker.DisposeAsync();
        Tap?.Dispose();
        if (Dachs is not null) await Dachs.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class DachsCollection : ICollectionFixture<DachsFixture>
{
    public const string Name = "dachs";
}
