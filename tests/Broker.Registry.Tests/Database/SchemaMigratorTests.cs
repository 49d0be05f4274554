using Broker.Registry.Database;
using Broker.Registry.Tests.Support;

namespace Broker.Registry.Tests.Database;

[Collection(PostgresCollection.Name)]
public sealed class SchemaMigratorTests(SharedPostgres postgres)
{
    [Fact]
    public async Task MigrateAsync_EmptyDatabase_AppliesEveryVersionAndCreatesTables()
    {
        await using var db = Db.Open(postgres.NewDatabase("migrate"));
        var migrator = Db.Migrator(db);

        var applied = await migrator.MigrateAsync(CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, migrator.LatestVersion), applied);
        Assert.Equal(migrator.LatestVersion, await Db.ScalarAsync<int>(db, "SELECT max(version) FROM schema_version"));
        foreach (var table in new[] { "provider", "provider_history", "provider_metadata", "provider_column", "query_log", "query_log_provider", "job" })
            Assert.Equal(1L, await Db.ScalarAsync<long>(db, $"SELECT count(*) FROM pg_tables WHERE tablename = '{table}'"));
    }

    [Fact]
    public async Task MigrateAsync_RunAgain_AppliesNothing()
    {
        await using var db = Db.Open(postgres.NewDatabase("migrate"));
        await Db.Migrator(db).MigrateAsync(CancellationToken.None);

        var second = await Db.Migrator(db).MigrateAsync(CancellationToken.None);

        Assert.Empty(second);
        Assert.Equal((long)Db.Migrator(db).LatestVersion, await Db.ScalarAsync<long>(db, "SELECT count(*) FROM schema_version"));
    }

    [Fact]
    public async Task MigrateAsync_TwoInstancesStartTogether_MigrateOnce()
    {
        var connectionString = postgres.NewDatabase("race");
        // Two data sources: two instances, each with its own connections.
        await using var first = Db.Open(connectionString);
        await using var second = Db.Open(connectionString);
        using var start = new Barrier(2);

        var runs = await Task.WhenAll(
            Task.Run(() => { start.SignalAndWait(); return Db.Migrator(first).MigrateAsync(CancellationToken.None); }),
            Task.Run(() => { start.SignalAndWait(); return Db.Migrator(second).MigrateAsync(CancellationToken.None); }));

        var latest = Db.Migrator(first).LatestVersion;
        Assert.Equal(latest, runs[0].Count + runs[1].Count);
        Assert.Empty(runs[0].Intersect(runs[1]));
        Assert.Equal((long)latest, await Db.ScalarAsync<long>(first, "SELECT count(*) FROM schema_version"));
    }

    [Fact]
    public async Task MigrateAsync_AppliedFileChangedSince_ThrowsSchemaMismatch()
    {
        await using var db = Db.Open(postgres.NewDatabase("changed"));
        await Db.Migrator(db).MigrateAsync(CancellationToken.None);
        await Db.ScalarAsync<int>(db, "UPDATE schema_version SET checksum = 'edited' WHERE version = 1");

        var ex = await Assert.ThrowsAsync<SchemaMismatchException>(() => Db.Migrator(db).MigrateAsync(CancellationToken.None));

        Assert.Contains("0001_provider_registry", ex.Message);
    }

    [Fact]
    public async Task MigrateAsync_DatabaseNewerThanBuild_ThrowsSchemaMismatch()
    {
        await using var db = Db.Open(postgres.NewDatabase("newer"));
        await Db.Migrator(db).MigrateAsync(CancellationToken.None);
        await Db.ScalarAsync<int>(db, "INSERT INTO schema_version VALUES (9999, 'future', 'x', now())");

        var ex = await Assert.ThrowsAsync<SchemaMismatchException>(() => Db.Migrator(db).MigrateAsync(CancellationToken.None));

        Assert.Contains("9999", ex.Message);
    }
}
