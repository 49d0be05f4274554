using Microsoft.Extensions.Time.Testing;
using System.Text.Json;
using Broker.Core.Configuration;
using Broker.Registry.Providers;
using Broker.Registry.Tests.Support;

namespace Broker.Registry.Tests.Providers;

/// <summary>What every <see cref="IProviderRegistryStore"/> must do; run against PostgreSQL and memory.</summary>
public abstract class ProviderRegistryStoreContract
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    protected abstract Task<IProviderRegistryStore> CreateStoreAsync();

    [Fact]
    public async Task SyncAsync_NewProviders_AddsThemWithHistory()
    {
        var store = await CreateStoreAsync();

        var result = await store.SyncAsync(ProviderFiles.Parse(ProviderFiles.TwoProviders), CancellationToken.None);

        Assert.Equal(["soar:Added", "sdac:Added"], result.Changes.Select(c => $"{c.ProviderId}:{c.Kind}"));
        var list = await store.ListAsync(CancellationToken.None);
        Assert.Equal(["sdac", "soar"], list.Select(e => e.Id));
        var soar = list.Single(e => e.Id == "soar");
        Assert.Equal(("tap", "http://127.0.0.1:9001/tap", true, "Solar Orbiter Archive", 1), (soar.Type, soar.Url, soar.Enabled, soar.Title, soar.HistoryCount));
        Assert.Equal(Time.GetUtcNow(), soar.AddedAt);
        var added = Assert.Single(await store.HistoryAsync("soar", CancellationToken.None));
        Assert.Null(added.OldValue);
        Assert.Equal("begin_time", added.NewValue!.Value.GetProperty("options").GetProperty("columns").GetProperty("start").GetString());
    }

    [Fact]
    public async Task SyncAsync_SameFileAgain_RecordsNothing()
    {
        var store = await CreateStoreAsync();
        await store.SyncAsync(ProviderFiles.Parse(ProviderFiles.TwoProviders), CancellationToken.None);
        Time.Advance(TimeSpan.FromMinutes(1));

        var result = await store.SyncAsync(ProviderFiles.Parse(ProviderFiles.TwoProviders), CancellationToken.None);

        Assert.Empty(result.Changes);
        Assert.All(await store.ListAsync(CancellationToken.None), e => Assert.Equal(1, e.HistoryCount));
    }

    [Fact]
    public async Task SyncAsync_ChangedAddedAndRemoved_RecordsEachWithOldAndNewValues()
    {
        var store = await CreateStoreAsync();
        var addedAt = Time.GetUtcNow();
        await store.SyncAsync(ProviderFiles.Parse(ProviderFiles.TwoProviders), CancellationToken.None);
        Time.Advance(TimeSpan.FromMinutes(5));

        var result = await store.SyncAsync(ProviderFiles.Parse(ProviderFiles.Changed), CancellationToken.None);

        Assert.Equal(["soar:Changed", "jsoc:Added", "sdac:Removed"], result.Changes.Select(c => $"{c.ProviderId}:{c.Kind}"));
        var list = (await store.ListAsync(CancellationToken.None)).ToDictionary(e => e.Id);
        Assert.Equal((addedAt, Time.GetUtcNow(), 2), (list["soar"].AddedAt, list["soar"].UpdatedAt, list["soar"].HistoryCount));
        Assert.Equal("http://127.0.0.1:9011/tap", list["soar"].Url);
        Assert.False(list["sdac"].Enabled);
        Assert.Equal(Time.GetUtcNow(), list["sdac"].RemovedAt);
        Assert.Null(list["jsoc"].RemovedAt);

        var change = (await store.HistoryAsync("soar", CancellationToken.None))[1];
        Assert.Equal("http://127.0.0.1:9001/tap", change.OldValue!.Value.GetProperty("url").GetString());
        Assert.Equal("http://127.0.0.1:9011/tap", change.NewValue!.Value.GetProperty("url").GetString());
        Assert.Equal("end_time", change.NewValue.Value.GetProperty("options").GetProperty("columns").GetProperty("end").GetString());
        var removed = (await store.HistoryAsync("sdac", CancellationToken.None))[1];
        Assert.Equal((RegistryChangeKind.Removed, (JsonElement?)null), (removed.Kind, removed.NewValue));
        Assert.Equal("SDAC", removed.OldValue!.Value.GetProperty("options").GetProperty("provider").GetString());
    }

    [Fact]
    public async Task SyncAsync_RemovedProviderComesBack_RecordsAddedAndClearsRemoval()
    {
        var store = await CreateStoreAsync();
        await store.SyncAsync(ProviderFiles.Parse(ProviderFiles.TwoProviders), CancellationToken.None);
        await store.SyncAsync(ProviderFiles.Parse(ProviderFiles.Changed), CancellationToken.None);

        var result = await store.SyncAsync(ProviderFiles.Parse(ProviderFiles.TwoProviders), CancellationToken.None);

        Assert.Contains(result.Changes, c => c is { ProviderId: "sdac", Kind: RegistryChangeKind.Added });
        var sdac = (await store.ListAsync(CancellationToken.None)).Single(e => e.Id == "sdac");
        Assert.Equal((true, (DateTimeOffset?)null, 3), (sdac.Enabled, sdac.RemovedAt, sdac.HistoryCount));
    }

    [Fact]
    public async Task SyncAsync_HostileIdAndTitle_StoredVerbatim()
    {
        var store = await CreateStoreAsync();
        const string id = "x'); DROP TABLE provider; --";
        const string title = "O'Brien \"quoted\" $$ \\ ; DELETE FROM provider_history; --";
        var config = new ProviderConfig
        {
            Id = id, Type = "tap", Url = new Uri("http://127.0.0.1:9/tap?q='1'"), Title = title,
            Options = ProviderFiles.Parse(ProviderFiles.TwoProviders)[0].Options,
        };

        await store.SyncAsync([config], CancellationToken.None);
        await store.SyncAsync([config with { Title = title + "!" }], CancellationToken.None);

        var entry = Assert.Single(await store.ListAsync(CancellationToken.None));
        Assert.Equal((id, title + "!", 2), (entry.Id, entry.Title, entry.HistoryCount));
        Assert.Equal(title, (await store.HistoryAsync(id, CancellationToken.None))[1].OldValue!.Value.GetProperty("title").GetString());
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresProviderRegistryStoreTests(SharedPostgres postgres) : ProviderRegistryStoreContract
{
    protected override async Task<IProviderRegistryStore> CreateStoreAsync()
    {
        var db = await Db.MigratedAsync(postgres.NewDatabase("registry"));
        return new PostgresProviderRegistryStore(db, new RegistryOptions(), Time,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<PostgresProviderRegistryStore>.Instance);
    }
}

public sealed class InMemoryProviderRegistryStoreTests : ProviderRegistryStoreContract
{
    protected override Task<IProviderRegistryStore> CreateStoreAsync() =>
        Task.FromResult<IProviderRegistryStore>(new InMemoryProviderRegistryStore(Time));
}
