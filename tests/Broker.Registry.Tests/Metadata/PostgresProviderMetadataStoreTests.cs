using Broker.Core.Services;
using Broker.Registry.Metadata;
using Broker.Registry.Tests.Support;

namespace Broker.Registry.Tests.Metadata;

[Collection(PostgresCollection.Name)]
public sealed class PostgresProviderMetadataStoreTests(SharedPostgres postgres)
{
    internal static ProviderMetadata Sample(DateTimeOffset readAt) => new(readAt,
    [
        new TableMetadata("soar.v_sc_data_item",
        [
            new ColumnMetadata("begin_time", "char", null, "time.start"),
            new ColumnMetadata("wavemin", "double", "nm", "em.wl;stat.min"),
            new ColumnMetadata("it's \"odd\"; DROP TABLE provider_column; --"),
        ]),
        new TableMetadata("ivoa.obscore", [new ColumnMetadata("obs_id", "char")]),
        new TableMetadata("empty.table", []),
    ]);

    [Fact]
    public async Task LoadAsync_AfterSave_ReturnsSameTablesColumnsAndReadTime()
    {
        await using var db = await Db.MigratedAsync(postgres.NewDatabase("metadata"));
        var store = new PostgresProviderMetadataStore(db);
        var saved = Sample(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

        await store.SaveAsync("soar", saved, CancellationToken.None);
        var loaded = await store.LoadAsync("soar", CancellationToken.None);

        AssertSame(saved, loaded);
    }

    [Fact]
    public async Task SaveAsync_SecondRead_ReplacesTheFirst()
    {
        await using var db = await Db.MigratedAsync(postgres.NewDatabase("metadata"));
        var store = new PostgresProviderMetadataStore(db);
        await store.SaveAsync("soar", Sample(DateTimeOffset.UnixEpoch), CancellationToken.None);
        var second = new ProviderMetadata(DateTimeOffset.UnixEpoch.AddDays(1), [new TableMetadata("t", [new ColumnMetadata("c")])]);

        await store.SaveAsync("soar", second, CancellationToken.None);

        AssertSame(second, await store.LoadAsync("soar", CancellationToken.None));
    }

    [Fact]
    public async Task LoadAsync_ProviderNeverRead_ReturnsNull()
    {
        await using var db = await Db.MigratedAsync(postgres.NewDatabase("metadata"));

        Assert.Null(await new PostgresProviderMetadataStore(db).LoadAsync("unknown", CancellationToken.None));
    }

    [Fact]
    public async Task LoadAsync_NewInstanceAfterRestartOfTheBroker_ReturnsLastStoredMetadata()
    {
        // The provider is down when the broker starts: the TAP adapter falls back to what an earlier process stored.
        var connectionString = postgres.NewDatabase("metadata");
        var saved = Sample(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using (var before = await Db.MigratedAsync(connectionString))
            await new PostgresProviderMetadataStore(before).SaveAsync("soar", saved, CancellationToken.None);

        await using var after = await Db.MigratedAsync(connectionString);
        AssertSame(saved, await new PostgresProviderMetadataStore(after).LoadAsync("soar", CancellationToken.None));
    }

    internal static void AssertSame(ProviderMetadata expected, ProviderMetadata? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.ReadAt, actual.ReadAt);
        Assert.Equal(expected.Tables.Select(t => t.Name), actual.Tables.Select(t => t.Name));
        for (var i = 0; i < expected.Tables.Count; i++)
            Assert.Equal(expected.Tables[i].Columns, actual.Tables[i].Columns);
    }
}
