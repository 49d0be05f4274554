using Broker.Core.Services;
using Broker.Registry.Jobs;
using Broker.Registry.Tests.Support;

namespace Broker.Registry.Tests.Jobs;

/// <summary>What every <see cref="IOrphanedJobStore"/> must do; run against PostgreSQL and memory.</summary>
public abstract class OrphanedJobStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly RetryBackoff Backoff = new(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(4));
    private static readonly Uri Job1 = new("http://127.0.0.1:9/tap/async/1"), Job2 = new("http://127.0.0.1:9/tap/async/2?x='y'");

    protected abstract Task<IOrphanedJobStore> CreateStoreAsync();

    [Fact]
    public async Task ClaimDueAsync_OnlyDueJobs_CountsTheAttemptAndMovesTheNextOneOnByTheBackoff()
    {
        var store = await CreateStoreAsync();
        await store.RememberAsync("p", Job1, T0.AddDays(1), T0.AddSeconds(30), default);
        await store.RememberAsync("q", Job2, T0.AddDays(1), T0.AddSeconds(90), default);

        Assert.Empty(await store.ClaimDueAsync(T0.AddSeconds(29), Backoff, 10, default));
        var first = Assert.Single(await store.ClaimDueAsync(T0.AddSeconds(30), Backoff, 10, default));
        Assert.Equal(new OrphanedJob("p", Job1, T0.AddDays(1), 1, T0.AddSeconds(90)), first);
        // Claimed: not due again until its backoff has passed, even for another instance.
        var both = await store.ClaimDueAsync(T0.AddSeconds(90), Backoff, 10, default);
        Assert.Equal([(Job1, 2, T0.AddSeconds(210)), (Job2, 1, T0.AddSeconds(150))],
            both.Select(j => (j.JobUrl, j.Attempts, j.NextAttemptAt)).OrderBy(j => j.JobUrl.AbsoluteUri));
        Assert.Equal(2, await store.CountAsync(default));
    }

    [Fact]
    public async Task ClaimDueAsync_ManyAttempts_WaitsAtMostTheMaximum()
    {
        var store = await CreateStoreAsync();
        await store.RememberAsync("p", Job1, T0.AddDays(1), T0, default);
        var waits = new List<TimeSpan>();
        var now = T0;
        for (var i = 0; i < 40; i++)
        {
            var claimed = Assert.Single(await store.ClaimDueAsync(now, Backoff, 10, default));
            waits.Add(claimed.NextAttemptAt - now);
            now = claimed.NextAttemptAt;
        }
        Assert.Equal([60, 120, 240, 240], waits.Take(4).Select(w => (int)w.TotalSeconds));
        Assert.Equal(TimeSpan.FromMinutes(4), waits[^1]);
    }

    [Fact]
    public async Task RememberAsync_TheSameJobAgain_KeepsOneWithItsAttemptsAndTheEarlierGiveUp()
    {
        var store = await CreateStoreAsync();
        await store.RememberAsync("p", Job1, T0.AddDays(2), T0, default);
        await store.ClaimDueAsync(T0, Backoff, 10, default);
        await store.RememberAsync("p", Job1, T0.AddDays(1), T0, default);

        Assert.Equal(1, await store.CountAsync(default));
        var expired = await store.ForgetExpiredAsync(T0.AddDays(1), default);
        Assert.Equal((Job1, 1), (Assert.Single(expired).JobUrl, expired[0].Attempts));
    }

    [Fact]
    public async Task ForgetAsync_AndForgetExpiredAsync_RemoveOnlyThoseJobs()
    {
        var store = await CreateStoreAsync();
        await store.RememberAsync("p", Job1, T0.AddHours(1), T0, default);
        await store.RememberAsync("p", Job2, T0.AddHours(2), T0, default);

        Assert.Empty(await store.ForgetExpiredAsync(T0.AddMinutes(59), default));
        await store.ForgetAsync(Job1, default);
        Assert.Equal(1, await store.CountAsync(default));
        Assert.Equal(Job2, Assert.Single(await store.ForgetExpiredAsync(T0.AddHours(2), default)).JobUrl);
        Assert.Equal(0, await store.CountAsync(default));
    }

    [Fact]
    public async Task ClaimDueAsync_AtMostMax()
    {
        var store = await CreateStoreAsync();
        for (var i = 0; i < 5; i++) await store.RememberAsync("p", new Uri($"http://127.0.0.1:9/tap/async/{i}"), T0.AddDays(1), T0.AddSeconds(i), default);

        var claimed = await store.ClaimDueAsync(T0.AddMinutes(1), Backoff, 3, default);

        Assert.Equal(["0", "1", "2"], claimed.Select(j => j.JobUrl.Segments[^1]).Order());
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresOrphanedJobStoreTests(SharedPostgres postgres) : OrphanedJobStoreContract
{
    protected override async Task<IOrphanedJobStore> CreateStoreAsync() =>
        new PostgresOrphanedJobStore(await Db.MigratedAsync(postgres.NewDatabase("orphans")));
}

public sealed class InMemoryOrphanedJobStoreTests : OrphanedJobStoreContract
{
    protected override Task<IOrphanedJobStore> CreateStoreAsync() => Task.FromResult<IOrphanedJobStore>(new InMemoryOrphanedJobStore());
}
