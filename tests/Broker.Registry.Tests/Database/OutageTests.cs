using Broker.Core.Search;
using Broker.Core.Services;
using Broker.Registry.Database;
using Broker.Registry.Metadata;
using Broker.Registry.Providers;
using Broker.Registry.QueryLog;
using Broker.Registry.Tests.Metadata;
using Broker.Registry.Tests.QueryLog;
using Broker.Registry.Tests.Support;
using Broker.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Broker.Registry.Tests.Database;

/// <summary>A server of its own, stopped and started by the tests (xunit runs one class's tests one at a time).</summary>
public sealed class DedicatedPostgres : IDisposable
{
    public PostgresServer Server { get; } = PostgresServer.StartNew();

    public void Dispose() => Server.Dispose();
}

public sealed class OutageTests(DedicatedPostgres postgres) : IClassFixture<DedicatedPostgres>, IDisposable
{
    private static readonly RegistryOptions FastRetry = new()
    {
        QueryLogCapacity = 20, QueryLogBatchSize = 5, RetryInitialDelay = TimeSpan.FromMilliseconds(100),
        RetryMaxDelay = TimeSpan.FromMilliseconds(500), ReadTimeout = TimeSpan.FromSeconds(2), ReadinessTimeout = TimeSpan.FromSeconds(2),
    };

    private PostgresServer Server => postgres.Server;

    public void Dispose()
    {
        if (!Server.IsRunning) Server.Start();
    }

    [Fact]
    public async Task QueryLog_DatabaseStoppedMidTest_BuffersToTheBoundDropsTheRestAndWritesAfterRestart()
    {
        await using var db = await Db.MigratedAsync(Server.CreateDatabase("outage_log"));
        var writer = QueryLogTests.Writer(db, FastRetry);
        await writer.StartAsync(CancellationToken.None);
        for (var i = 0; i < 3; i++) await writer.OnSearchCompletedAsync(Searches.Request(), NewResult(), CancellationToken.None);
        await Wait.UntilAsync(() => writer.Counters.Written == 3, "first entries written");

        Server.Stop();
        const int duringOutage = 100;
        for (var i = 0; i < duringOutage; i++)
        {
            var enqueue = writer.OnSearchCompletedAsync(Searches.Request(), NewResult(), CancellationToken.None);
            // The search never waits on the log: every call has finished by the time it returns.
            Assert.True(enqueue.IsCompletedSuccessfully);
        }
        await Wait.UntilAsync(() => writer.Counters.FailedWrites > 0, "a write failed while the server is down");

        var down = writer.Counters;
        Assert.Equal(3, down.Written);
        Assert.Equal(duringOutage, down.Buffered + down.Dropped);
        Assert.InRange(down.Buffered, FastRetry.QueryLogCapacity, FastRetry.QueryLogCapacity + FastRetry.QueryLogBatchSize);
        Assert.True(down.Dropped >= duringOutage - FastRetry.QueryLogCapacity - FastRetry.QueryLogBatchSize, $"dropped {down.Dropped}");

        Server.Start();
        await Wait.UntilAsync(() => writer.Counters.Buffered == 0, "buffer drained after restart");
        await writer.StopAsync(CancellationToken.None);

        var up = writer.Counters;
        Assert.Equal(3 + duringOutage - down.Dropped, up.Written);
        Assert.Equal(down.Dropped, up.Dropped);
        Assert.Equal(up.Written, await Db.ScalarAsync<long>(db, "SELECT count(*) FROM query_log"));
    }

    [Fact]
    public async Task ReadinessCheck_DatabaseStopped_AnswersDegradedThenHealthyAfterRestart()
    {
        await using var db = await Db.MigratedAsync(Server.CreateDatabase("outage_ready"));
        var schema = new SchemaState();
        schema.MarkReady();
        var check = new PostgresReadinessCheck(db, schema, FastRetry);
        Assert.Equal(ReadinessStatus.Healthy, (await check.CheckAsync(CancellationToken.None)).Status);

        Server.Stop();
        // The check answers by itself (its own timeout); the bound here only detects a hang.
        var result = await check.CheckAsync(CancellationToken.None).WaitAsync(Wait.DefaultTimeout);
        Assert.Equal((PostgresReadinessCheck.Name, ReadinessStatus.Degraded), (result.Name, result.Status));
        Assert.Contains("unreachable", result.Message);

        Server.Start();
        await Wait.UntilAsync(async () => (await check.CheckAsync(CancellationToken.None)).Status == ReadinessStatus.Healthy, "healthy after restart");
    }

    [Fact]
    public async Task RegistryListAndStats_DatabaseStopped_ReturnTheLastAnswersRead()
    {
        await using var db = await Db.MigratedAsync(Server.CreateDatabase("outage_reads"));
        var store = new PostgresProviderRegistryStore(db, FastRetry, TimeProvider.System, NullLogger<PostgresProviderRegistryStore>.Instance);
        var stats = new PostgresProviderStatsSource(db, FastRetry, TimeProvider.System, NullLogger<PostgresProviderStatsSource>.Instance);
        await store.SyncAsync(ProviderFiles.Parse(ProviderFiles.TwoProviders), CancellationToken.None);
        await new PostgresQueryLogSink(db).WriteAsync([QueryLogEntry.From(Searches.Request(), NewResult())], CancellationToken.None);
        var listed = await store.ListAsync(CancellationToken.None);
        var counted = await stats.GetStatsAsync(CancellationToken.None);

        Server.Stop();

        Assert.Equal(listed, await store.ListAsync(CancellationToken.None));
        Assert.Equal(counted, await stats.GetStatsAsync(CancellationToken.None));
        Assert.Equal(2, listed.Count);
        Assert.Equal(1, counted["soar"].Calls);
    }

    [Fact]
    public async Task MetadataLoad_AfterDatabaseRestart_ReturnsTheStoredMetadata()
    {
        await using var db = await Db.MigratedAsync(Server.CreateDatabase("outage_metadata"));
        var store = new PostgresProviderMetadataStore(db);
        var saved = PostgresProviderMetadataStoreTests.Sample(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero));
        await store.SaveAsync("soar", saved, CancellationToken.None);

        Server.Stop();
        await Assert.ThrowsAnyAsync<Exception>(() => store.LoadAsync("soar", CancellationToken.None));
        Server.Start();

        await Wait.UntilAsync(async () =>
        {
            try { return await store.LoadAsync("soar", CancellationToken.None) is not null; }
            catch (Npgsql.NpgsqlException) { return false; }
        }, "metadata readable after restart");
        PostgresProviderMetadataStoreTests.AssertSame(saved, await store.LoadAsync("soar", CancellationToken.None));
    }

    [Fact]
    public async Task Startup_DatabaseDown_MigratesAndSyncsTheRegistryOnceItIsBack()
    {
        var connectionString = Server.CreateDatabase("outage_startup");
        await using var db = Db.Open(connectionString);
        var schema = new SchemaState();
        var migration = new SchemaMigrationService(Db.Migrator(db), schema, FastRetry, TimeProvider.System, NullLogger<SchemaMigrationService>.Instance);
        var store = new PostgresProviderRegistryStore(db, FastRetry, TimeProvider.System, NullLogger<PostgresProviderRegistryStore>.Instance);
        var sync = new RegistrySyncService(store, schema, FastRetry, TimeProvider.System, NullLogger<RegistrySyncService>.Instance);
        Server.Stop();

        await migration.StartAsync(CancellationToken.None);
        await sync.StartAsync(CancellationToken.None);
        var outcome = await sync.SyncAsync(ProviderFiles.Parse(ProviderFiles.TwoProviders), CancellationToken.None);

        Assert.True(outcome.Deferred);
        Assert.False(schema.IsReady);

        Server.Start();
        await Wait.UntilAsync(() => sync.LastResult is not null, "registry synced after the database came back");
        Assert.True(schema.IsReady);
        Assert.Equal(2, sync.LastResult!.Added);
        Assert.Equal(2, (await store.ListAsync(CancellationToken.None)).Count);
        await sync.StopAsync(CancellationToken.None);
        await migration.StopAsync(CancellationToken.None);
    }

    private static SearchResult NewResult() =>
        Searches.Result(DateTimeOffset.UtcNow, Searches.Outcome("soar", ProviderStatus.Ok, 50));
}
