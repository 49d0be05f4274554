using System.Globalization;
using System.Net;
using System.Text.Json;
using Broker.EndToEnd.Tests.Infrastructure;
using Broker.Registry.QueryLog;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.EndToEnd.Tests.Registry;

/// <summary>The PostgreSQL registry and query log through the real broker: start-up migration, sync, reload, statistics, outage.</summary>
[Collection(RegistryFederationCollection.Name)]
public sealed class RegistryThroughBrokerTests(RegistryFederationFixture f)
{
    [Fact]
    public async Task Startup_MigratesTheSchemaAndSyncsTheProvidersFile_ProvidersApiShowsRegistryRecords()
    {
        var providers = await UntilProvidersAsync(p => p.TryGetValue("soar", out var s) && HasRegistry(s), "soar synced into the registry");

        var versions = (await f.SqlAsync("SELECT version FROM schema_version ORDER BY version")).Split('\n');
        Assert.Equal(["1", "2", "3", "4", "5", "6"], versions); // one per file in src/Broker.Registry/Migrations
        foreach (var id in new[] { "soar", "sdo", "spare" })
        {
            var registry = providers[id].GetProperty("registry");
            Assert.Equal(id, registry.GetProperty("id").GetString());
            Assert.Equal("tap", registry.GetProperty("type").GetString());
            Assert.True(registry.GetProperty("enabled").GetBoolean());
            Assert.True(registry.GetProperty("addedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(-1));
            Assert.True(registry.GetProperty("historyCount").GetInt32() >= 1);
            Assert.Equal(f.Sims.TapUrl(id == "spare" ? "soar" : id), registry.GetProperty("url").GetString()!.TrimEnd('/'));
        }
        Assert.Equal("1", await f.SqlAsync("SELECT count(*) FROM provider_history WHERE provider_id = 'soar' AND change = 'added'"));
    }

    [Fact]
    public async Task Stats_AfterSearches_ShowCallsSuccessRateAndPercentilesFromTheQueryLog()
    {
        using var http = new HttpClient { BaseAddress = f.Broker.BaseUrl };
        var logged = long.Parse(await f.SqlAsync("SELECT count(*) FROM query_log_provider WHERE provider_id = 'sdo' AND NOT from_cache"), CultureInfo.InvariantCulture);
        for (var i = 0; i < 6; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/search?start=2021-0{1 + i % 3}-01T00:00:00Z&end=2021-0{1 + i % 3}-05T00:00:00Z&providers=soar,sdo");
            request.Headers.CacheControl = new() { NoCache = true }; // every search really asks the providers
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await LoggedAsync(); // the fixture's query-log buffer is tiny (for the outage test): let it drain
        }
        using var cached = await http.GetAsync("/api/v1/search?start=2021-01-01T00:00:00Z&end=2021-01-05T00:00:00Z&providers=sdo");
        await LoggedAsync();

        var providers = await UntilProvidersAsync(p => Calls(p["sdo"]) >= logged + 6, "sdo statistics counting the 6 searches");
        foreach (var id in new[] { "soar", "sdo" })
        {
            var stats = providers[id].GetProperty("stats");
            Assert.Equal(1.0, stats.GetProperty("successRate").GetDouble());
            var p50 = stats.GetProperty("p50Ms").GetDouble();
            var p95 = stats.GetProperty("p95Ms").GetDouble();
            Assert.True(p50 >= 0 && p50 <= p95, $"{id}: p50 {p50} ms, p95 {p95} ms");
        }
        // The cached answer is logged but is not a provider call.
        await UntilAsync(async () => await f.SqlAsync("SELECT count(*) FROM query_log_provider WHERE provider_id = 'sdo' AND from_cache") != "0", "cache hit logged");
        Assert.Equal(logged + 6, Calls((await ProvidersAsync())["sdo"]));
    }

    [Fact]
    public async Task ProvidersFileEdit_AddChangeRemove_IsLiveAndRecordedInTheRegistryHistory()
    {
        var before = await UntilProvidersAsync(p => p.TryGetValue("spare", out var s) && HasRegistry(s), "spare synced");
        var spareAdded = before["spare"].GetProperty("registry").GetProperty("addedAt").GetDateTimeOffset();

        await File.WriteAllTextAsync(f.Broker.ProvidersFile, f.ProvidersYaml(spareTimeout: "7s", withNrh: true, withGone: false));

        var after = await UntilProvidersAsync(p => p.ContainsKey("nrh") && HasRegistry(p["nrh"]) && !p.ContainsKey("gone")
                                                  && p["spare"].GetProperty("registry").GetProperty("historyCount").GetInt32() >= 2,
            "the reload synced into the registry", seconds: 30);
        var spare = after["spare"].GetProperty("registry");
        Assert.Equal(spareAdded, spare.GetProperty("addedAt").GetDateTimeOffset());
        Assert.True(spare.GetProperty("updatedAt").GetDateTimeOffset() > spareAdded);
        Assert.Equal(1, after["nrh"].GetProperty("registry").GetProperty("historyCount").GetInt32());

        Assert.Equal("added,changed", await f.SqlAsync("SELECT string_agg(change, ',' ORDER BY id) FROM provider_history WHERE provider_id = 'spare'"));
        Assert.Equal("00:00:10|00:00:07", await f.SqlAsync(
            "SELECT old_value->'resilience'->>'timeout' || '|' || (new_value->'resilience'->>'timeout') FROM provider_history WHERE provider_id = 'spare' AND change = 'changed'"));
        Assert.Equal("added,removed", await f.SqlAsync("SELECT string_agg(change, ',' ORDER BY id) FROM provider_history WHERE provider_id = 'gone'"));
        Assert.Equal("t|f", await f.SqlAsync("SELECT removed_at IS NOT NULL, enabled FROM provider WHERE id = 'gone'"));

        // The reload is live: the added provider answers, the removed one is no longer asked.
        var search = await Json.GetAsync(f.Broker.Http, "/api/v1/search?start=2022-03-21T00:00:00Z&end=2022-03-28T00:00:00Z&providers=nrh");
        Assert.Equal("ok", Json.Status(search, "nrh"));
        using var removed = await f.Broker.Http.GetAsync("/api/v1/search?start=2022-03-21T00:00:00Z&end=2022-03-28T00:00:00Z&providers=gone");
        Assert.False(removed.IsSuccessStatusCode);
    }

    [Fact]
    public async Task PostgresDown_SearchesUnaffected_LogBufferedAndDropped_DrainedAfterRestart()
    {
        var writer = f.Broker.Services.GetRequiredService<QueryLogWriter>();
        await UntilAsync(() => Task.FromResult(writer.Counters.Buffered == 0), "query log idle");
        var rowsBefore = long.Parse(await f.SqlAsync("SELECT count(*) FROM query_log"), CultureInfo.InvariantCulture);
        var countersBefore = writer.Counters;
        const int searches = 10;

        await Task.Run(f.Postgres.Stop);
        try
        {
            for (var i = 0; i < searches; i++)
            {
                var doc = await Json.GetAsync(f.Broker.Http, $"/api/v1/search?start=2021-04-{1 + i:00}T00:00:00Z&end=2021-04-{2 + i:00}T00:00:00Z&providers=soar,sdo");
                Assert.Equal("ok", Json.Status(doc, "soar"));
                Assert.NotEqual("error", Json.Status(doc, "sdo"));
            }
            var ready = await ReadinessAsync();
            Assert.Equal("degraded", ready.GetProperty("status").GetString());
            Assert.Equal("degraded", ready.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "postgres").GetProperty("status").GetString());
            var providers = await ProvidersAsync();
            Assert.True(providers.ContainsKey("soar"), "the providers listing works without its database");

            var down = writer.Counters;
            Assert.Equal(countersBefore.Written, down.Written);
            Assert.InRange(down.Buffered, 1, RegistryFederationFixture.QueryLogCapacity + 1); // the queue plus the batch being retried
            Assert.True(down.Dropped - countersBefore.Dropped >= searches - RegistryFederationFixture.QueryLogCapacity - 1, $"dropped {down.Dropped}");
            Assert.Equal(searches, down.Buffered + down.Dropped - countersBefore.Dropped);
            Assert.True(down.FailedWrites > countersBefore.FailedWrites);
        }
        finally
        {
            await Task.Run(f.Postgres.Start);
        }

        await UntilAsync(() => Task.FromResult(writer.Counters.Buffered == 0), "query log drained", seconds: 30);
        var drained = writer.Counters;
        var kept = searches - (drained.Dropped - countersBefore.Dropped);
        Assert.Equal(countersBefore.Written + kept, drained.Written);
        Assert.Equal((rowsBefore + kept).ToString(CultureInfo.InvariantCulture), await f.SqlAsync("SELECT count(*) FROM query_log"));
        await UntilAsync(async () => (await ReadinessAsync()).GetProperty("status").GetString() == "healthy", "readiness healthy again");
    }

    private Task LoggedAsync()
    {
        var writer = f.Broker.Services.GetRequiredService<QueryLogWriter>();
        return UntilAsync(() => Task.FromResult(writer.Counters.Buffered == 0), "query log written");
    }

    private static bool HasRegistry(JsonElement provider) =>
        provider.TryGetProperty("registry", out var r) && r.ValueKind == JsonValueKind.Object;

    private static long Calls(JsonElement provider) =>
        provider.TryGetProperty("stats", out var s) && s.ValueKind == JsonValueKind.Object ? s.GetProperty("calls").GetInt64() : 0;

    private async Task<Dictionary<string, JsonElement>> ProvidersAsync()
    {
        var doc = await Json.GetAsync(f.Broker.Http, "/api/v1/providers");
        return doc.GetProperty("providers").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString()!);
    }

    private async Task<Dictionary<string, JsonElement>> UntilProvidersAsync(Func<Dictionary<string, JsonElement>, bool> condition, string what, int seconds = 20)
    {
        Dictionary<string, JsonElement> providers = [];
        await UntilAsync(async () => condition(providers = await ProvidersAsync()), what, seconds);
        return providers;
    }

    private async Task<JsonElement> ReadinessAsync()
    {
        using var response = await f.Broker.Http.GetAsync("/health/ready");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static Task UntilAsync(Func<Task<bool>> condition, string what, int seconds = 30) =>
        Broker.Testing.Wait.UntilAsync(condition, TimeSpan.FromSeconds(seconds), what);
}
