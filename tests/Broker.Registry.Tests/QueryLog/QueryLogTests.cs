using Microsoft.Extensions.Time.Testing;
using Broker.Testing;
using Broker.Core.Search;
using Broker.Registry.Database;
using Broker.Registry.QueryLog;
using Broker.Registry.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Broker.Registry.Tests.QueryLog;

[Collection(PostgresCollection.Name)]
public sealed class QueryLogTests(SharedPostgres postgres)
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task OnSearchCompletedAsync_WriterRunning_StoresOneRowPerSearchWithHashedSessionAndVerbatimQuery()
    {
        await using var db = await Db.MigratedAsync(postgres.NewDatabase("querylog"));
        var writer = Writer(db, new RegistryOptions());
        await writer.StartAsync(CancellationToken.None);
        var result = Searches.Result(DateTimeOffset.UtcNow,
            Searches.Outcome("soar", ProviderStatus.Ok, 120), Searches.Outcome("sdac", ProviderStatus.Timeout, 30_000));

        await writer.OnSearchCompletedAsync(Searches.Request("session-secret-1"), result, CancellationToken.None);
        await Wait.UntilAsync(() => writer.Counters.Written == 1, "the entry written");
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(Broker.Core.Services.SessionLogHash.Of("session-secret-1"),
            await Db.ScalarAsync<string>(db, $"SELECT session_hash FROM query_log WHERE query_id = '{result.QueryId}'"));
        Assert.Equal(12, Broker.Core.Services.SessionLogHash.Of("x")!.Length); // the request log's keyed hash
        Assert.Equal(0L, await Db.ScalarAsync<long>(db, "SELECT count(*) FROM query_log WHERE session_hash = 'session-secret-1' OR query::text LIKE '%session-secret%' OR providers::text LIKE '%session-secret%'"));
        Assert.Equal(Searches.HostileInstrument, await Db.ScalarAsync<string>(db, "SELECT query->'blocks'->0->>'instrument' FROM query_log"));
        Assert.Equal("Timeout", await Db.ScalarAsync<string>(db, "SELECT status FROM query_log_provider WHERE provider_id = 'sdac'"));
        Assert.Equal(2L, await Db.ScalarAsync<long>(db, "SELECT count(*) FROM query_log_provider"));
        Assert.Equal(new QueryLogCounters(1, 0, 0, 0), writer.Counters);
    }

    [Fact]
    public async Task WriteAsync_SameBatchTwice_StoresItOnce()
    {
        await using var db = await Db.MigratedAsync(postgres.NewDatabase("querylog"));
        var sink = new PostgresQueryLogSink(db);
        var batch = new[] { QueryLogEntry.From(Searches.Request(), Searches.Result(Now, Searches.Outcome("soar", ProviderStatus.Ok, 5))) };

        await sink.WriteAsync(batch, CancellationToken.None);
        await sink.WriteAsync(batch, CancellationToken.None);

        Assert.Equal(1L, await Db.ScalarAsync<long>(db, "SELECT count(*) FROM query_log"));
        Assert.Equal(1L, await Db.ScalarAsync<long>(db, "SELECT count(*) FROM query_log_provider"));
    }

    [Fact]
    public async Task GetStatsAsync_KnownOutcomes_SuccessRateAndPercentilesOverTheWindow()
    {
        await using var db = await Db.MigratedAsync(postgres.NewDatabase("stats"));
        var entries = new List<QueryLogEntry>();
        for (var i = 1; i <= 10; i++)
        {
            // a: 10..100 ms; the two slowest failed. b: one call of 7 ms in the first search.
            var outcome = Searches.Outcome("a", i <= 8 ? ProviderStatus.Ok : i == 9 ? ProviderStatus.Timeout : ProviderStatus.Error, 10 * i);
            entries.Add(Entry(Now.AddMinutes(-i), i == 1 ? [outcome, Searches.Outcome("b", ProviderStatus.Empty, 7)] : [outcome]));
        }
        entries.Add(Entry(Now.AddMinutes(-1), Searches.Outcome("a", ProviderStatus.Ok, 1, fromCache: true)));
        entries.Add(Entry(Now.AddMinutes(-1), Searches.Outcome("a", ProviderStatus.Skipped, 0)));
        entries.Add(Entry(Now.AddMinutes(-1), Searches.Outcome("a", ProviderStatus.CircuitOpen, 0)));
        entries.Add(Entry(Now.AddHours(-2), Searches.Outcome("a", ProviderStatus.Ok, 5000)));
        await new PostgresQueryLogSink(db).WriteAsync(entries, CancellationToken.None);
        var source = new PostgresProviderStatsSource(db, new RegistryOptions(), new FakeTimeProvider(Now),
            NullLogger<PostgresProviderStatsSource>.Instance);

        var stats = await source.GetStatsAsync(CancellationToken.None);

        Assert.Equal(["a", "b"], stats.Keys.Order());
        var a = stats["a"];
        Assert.Equal((10L, 0.8, 55.0, 95.5, Now.AddHours(-1)), (a.Calls, Math.Round(a.SuccessRate, 6), Math.Round(a.P50Ms!.Value, 6), Math.Round(a.P95Ms!.Value, 6), a.WindowStart));
        Assert.Equal((1L, 1.0, 7.0, 7.0), (stats["b"].Calls, stats["b"].SuccessRate, stats["b"].P50Ms, stats["b"].P95Ms));
    }

    private static QueryLogEntry Entry(DateTimeOffset at, params ProviderOutcome[] outcomes) =>
        QueryLogEntry.From(Searches.Request(), Searches.Result(at, outcomes));

    internal static QueryLogWriter Writer(NpgsqlDataSource db, RegistryOptions options)
    {
        var schema = new SchemaState();
        schema.MarkReady();
        return new QueryLogWriter(new PostgresQueryLogSink(db), schema, options, TimeProvider.System, NullLogger<QueryLogWriter>.Instance);
    }
}
