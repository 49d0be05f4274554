using Microsoft.Extensions.Time.Testing;
using Broker.Registry.Jobs;
using Broker.Registry.Tests.Support;

namespace Broker.Registry.Tests.Jobs;

/// <summary>What every <see cref="IJobStore"/> must do; run against PostgreSQL and memory.</summary>
public abstract class JobStoreContract
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero));

    protected abstract Task<IJobStore> CreateStoreAsync();

    /// <summary>The result store that lives beside <see cref="CreateStoreAsync"/>'s last store.</summary>
    protected abstract IJobResultStore ResultStore();

    private static NewJob Queued(string owner = "session-a") => new()
    {
        Owner = owner, Phase = JobPhase.Queued, Parameters = new Dictionary<string, string> { ["QUERY"] = "SELECT 1", ["LANG"] = "ADQL" },
    };

    [Fact]
    public async Task CreateAsync_HostileParameters_StoredAndReadVerbatim()
    {
        var store = await CreateStoreAsync();
        var parameters = new Dictionary<string, string>
        {
            ["QUERY"] = "SELECT * FROM t WHERE x = 'a''; DROP TABLE job; --'",
            ["RUNID"] = "\"quoted\" $$ \\",
        };

        var created = await store.CreateAsync(new NewJob
        {
            Owner = "o'wner", RunId = "run'); --", Parameters = parameters, ExecutionDuration = TimeSpan.FromMinutes(10),
            DestructionAt = Time.GetUtcNow().AddDays(7),
        }, CancellationToken.None);
        var read = await store.GetAsync(created.Id, CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(parameters, read.Parameters);
        Assert.Equal(("o'wner", "run'); --", JobPhase.Pending, TimeSpan.FromMinutes(10), Time.GetUtcNow(), Time.GetUtcNow().AddDays(7)),
            (read.Owner, read.RunId, read.Phase, read.ExecutionDuration, read.CreatedAt, read.DestructionAt));
        Assert.Single(await store.ListAsync("o'wner", 10, CancellationToken.None));
        Assert.Empty(await store.ListAsync("o", 10, CancellationToken.None));
    }

    [Fact]
    public async Task TryTransitionAsync_FromTheCurrentPhase_ChangesItAndStampsTimes()
    {
        var store = await CreateStoreAsync();
        var job = await store.CreateAsync(new NewJob(), CancellationToken.None);

        Assert.True(await store.TryTransitionAsync(job.Id, JobPhase.Pending, JobPhase.Queued, null, CancellationToken.None));
        var claimed = await store.TryClaimNextAsync("i1", Lease, CancellationToken.None);
        Time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(await store.TryTransitionAsync(job.Id, JobPhase.Executing, JobPhase.Completed,
            new JobTransition { LeaseOwner = "i1", ResultsLocation = "results/1.vot" }, CancellationToken.None));

        var done = await store.GetAsync(job.Id, CancellationToken.None);
        Assert.Equal(job.Id, claimed?.Id);
        Assert.Equal((JobPhase.Completed, "results/1.vot", Time.GetUtcNow().AddSeconds(-5), Time.GetUtcNow(), (string?)null),
            (done!.Phase, done.ResultsLocation, done.StartedAt, done.EndedAt, done.LeaseOwner));
    }

    [Fact]
    public async Task TryTransitionAsync_PhaseAlreadyChanged_ReturnsFalseAndKeepsTheWinner()
    {
        var store = await CreateStoreAsync();
        var job = await store.CreateAsync(new NewJob(), CancellationToken.None);
        Assert.True(await store.TryTransitionAsync(job.Id, JobPhase.Pending, JobPhase.Aborted, null, CancellationToken.None));

        var lost = await store.TryTransitionAsync(job.Id, JobPhase.Pending, JobPhase.Queued, null, CancellationToken.None);

        Assert.False(lost);
        Assert.Equal(JobPhase.Aborted, (await store.GetAsync(job.Id, CancellationToken.None))!.Phase);
        Assert.False(await store.TryTransitionAsync("no-such-job", JobPhase.Pending, JobPhase.Queued, null, CancellationToken.None));
    }

    [Fact]
    public async Task TryTransitionAsync_ManyRacersFromTheSamePhase_ExactlyOneWins()
    {
        var store = await CreateStoreAsync();
        var job = await store.CreateAsync(new NewJob(), CancellationToken.None);
        var targets = new[] { JobPhase.Queued, JobPhase.Aborted, JobPhase.Error, JobPhase.Held, JobPhase.Queued, JobPhase.Aborted };

        var wins = await Task.WhenAll(targets.Select(to =>
            Task.Run(() => store.TryTransitionAsync(job.Id, JobPhase.Pending, to, null, CancellationToken.None))));

        Assert.Equal(1, wins.Count(w => w));
        var winner = targets[Array.IndexOf(wins, true)];
        Assert.Equal(winner, (await store.GetAsync(job.Id, CancellationToken.None))!.Phase);
    }

    [Fact]
    public async Task TryClaimNextAsync_TwoWorkersInParallel_EachJobClaimedOnce()
    {
        var store = await CreateStoreAsync();
        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add((await store.CreateAsync(Queued(), CancellationToken.None)).Id);
            Time.Advance(TimeSpan.FromMilliseconds(1));
        }

        async Task<List<string>> WorkAsync(string instance)
        {
            var mine = new List<string>();
            while (await store.TryClaimNextAsync(instance, Lease, CancellationToken.None) is { } job)
            {
                Assert.Equal((instance, JobPhase.Executing, 1), (job.LeaseOwner, job.Phase, job.Attempts));
                mine.Add(job.Id);
            }
            return mine;
        }
        var claimed = await Task.WhenAll(Task.Run(() => WorkAsync("w1")), Task.Run(() => WorkAsync("w2")));

        Assert.Empty(claimed[0].Intersect(claimed[1]));
        Assert.Equal(ids.Order(), claimed[0].Concat(claimed[1]).Order());
    }

    [Fact]
    public async Task TryClaimNextAsync_LeaseExpiredWhileExecuting_AnotherInstanceTakesOver()
    {
        var store = await CreateStoreAsync();
        var job = await store.CreateAsync(Queued(), CancellationToken.None);
        Assert.Equal(job.Id, (await store.TryClaimNextAsync("dead", Lease, CancellationToken.None))?.Id);

        Assert.Null(await store.TryClaimNextAsync("alive", Lease, CancellationToken.None));
        Time.Advance(Lease + TimeSpan.FromSeconds(1));
        var takenOver = await store.TryClaimNextAsync("alive", Lease, CancellationToken.None);

        Assert.Equal((job.Id, "alive", 2, Time.GetUtcNow() + Lease), (takenOver?.Id, takenOver?.LeaseOwner, takenOver?.Attempts, takenOver?.LeaseExpiresAt));
        // The old instance has lost the job: it can neither renew nor complete it.
        Assert.False(await store.RenewLeaseAsync(job.Id, "dead", Lease, CancellationToken.None));
        Assert.False(await store.TryTransitionAsync(job.Id, JobPhase.Executing, JobPhase.Completed,
            new JobTransition { LeaseOwner = "dead" }, CancellationToken.None));
        Assert.True(await store.TryTransitionAsync(job.Id, JobPhase.Executing, JobPhase.Completed,
            new JobTransition { LeaseOwner = "alive" }, CancellationToken.None));
    }

    [Fact]
    public async Task RenewLeaseAsync_BeforeExpiry_KeepsTheJobFromBeingTakenOver()
    {
        var store = await CreateStoreAsync();
        var job = await store.CreateAsync(Queued(), CancellationToken.None);
        await store.TryClaimNextAsync("i1", Lease, CancellationToken.None);

        Time.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.True(await store.RenewLeaseAsync(job.Id, "i1", Lease, CancellationToken.None));
        Time.Advance(TimeSpan.FromSeconds(2));

        Assert.Null(await store.TryClaimNextAsync("i2", Lease, CancellationToken.None));
        Assert.Equal("i1", (await store.GetAsync(job.Id, CancellationToken.None))!.LeaseOwner);
    }

    [Fact]
    public async Task DestroyExpiredAsync_PastDestructionTime_DeletesOnlyThoseJobs()
    {
        var store = await CreateStoreAsync();
        var soon = await store.CreateAsync(new NewJob { DestructionAt = Time.GetUtcNow().AddMinutes(1) }, CancellationToken.None);
        var later = await store.CreateAsync(new NewJob { DestructionAt = Time.GetUtcNow().AddDays(1) }, CancellationToken.None);
        var never = await store.CreateAsync(new NewJob(), CancellationToken.None);
        Time.Advance(TimeSpan.FromMinutes(2));

        var destroyed = await store.DestroyExpiredAsync(CancellationToken.None);

        Assert.Equal([soon.Id], destroyed.Select(j => j.Id));
        Assert.Null(await store.GetAsync(soon.Id, CancellationToken.None));
        Assert.NotNull(await store.GetAsync(later.Id, CancellationToken.None));
        Assert.NotNull(await store.GetAsync(never.Id, CancellationToken.None));
        Assert.True(await store.DeleteAsync(never.Id, CancellationToken.None));
        Assert.False(await store.DeleteAsync(never.Id, CancellationToken.None));
    }

    [Fact]
    public async Task TryUpdateAsync_ParametersOnlyWhilePending_DurationAndDestructionAlways()
    {
        var store = await CreateStoreAsync();
        var job = await store.CreateAsync(new NewJob { Parameters = new Dictionary<string, string> { ["query"] = "SELECT 1" } }, CancellationToken.None);

        Assert.True(await store.TryUpdateAsync(job.Id, new JobUpdate
        {
            Parameters = new Dictionary<string, string> { ["maxrec"] = "5", ["query"] = "SELECT 2" }, RunId = "r1",
            ExecutionDuration = TimeSpan.FromSeconds(60), DestructionAt = Time.GetUtcNow().AddHours(1),
        }, CancellationToken.None));
        var read = (await store.GetAsync(job.Id, CancellationToken.None))!;
        Assert.Equal(new Dictionary<string, string> { ["maxrec"] = "5", ["query"] = "SELECT 2" }, read.Parameters);
        Assert.Equal(("r1", TimeSpan.FromSeconds(60), Time.GetUtcNow().AddHours(1)), (read.RunId, read.ExecutionDuration, read.DestructionAt));

        Assert.True(await store.TryTransitionAsync(job.Id, JobPhase.Pending, JobPhase.Queued, null, CancellationToken.None));
        Assert.False(await store.TryUpdateAsync(job.Id, new JobUpdate { Parameters = new Dictionary<string, string> { ["maxrec"] = "9" } }, CancellationToken.None));
        Assert.True(await store.TryUpdateAsync(job.Id, new JobUpdate { ExecutionDuration = TimeSpan.FromSeconds(30) }, CancellationToken.None));
        Assert.Equal("5", (await store.GetAsync(job.Id, CancellationToken.None))!.Parameters["maxrec"]);
        Assert.False(await store.TryUpdateAsync("no-such-job", new JobUpdate { RunId = "x" }, CancellationToken.None));
    }

    [Fact]
    public async Task ResultStore_SavesReadsAndLosesTheResultWithItsJob()
    {
        var store = await CreateStoreAsync();
        var results = ResultStore();
        var job = await store.CreateAsync(new NewJob { DestructionAt = Time.GetUtcNow().AddMinutes(1) }, CancellationToken.None);
        var body = "<VOTABLE/>"u8.ToArray();

        await results.SaveAsync(job.Id, new JobResult("application/x-votable+xml", body), CancellationToken.None);
        var read = await results.GetAsync(job.Id, CancellationToken.None);
        Assert.Equal("application/x-votable+xml", read!.ContentType);
        Assert.Equal(body, read.Body);

        Time.Advance(TimeSpan.FromMinutes(2));
        var destroyed = await store.DestroyExpiredAsync(CancellationToken.None);
        if (results is IJobDestructionListener listener) await listener.OnJobsDestroyedAsync(destroyed, CancellationToken.None);
        Assert.Null(await results.GetAsync(job.Id, CancellationToken.None));
    }

    [Fact]
    public async Task CreateAsync_NotPendingOrQueued_Throws()
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateAsync(new NewJob { Phase = JobPhase.Executing }, CancellationToken.None));
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresJobStoreTests(SharedPostgres postgres) : JobStoreContract
{
    private Npgsql.NpgsqlDataSource? _db;

    protected override async Task<IJobStore> CreateStoreAsync() =>
        new PostgresJobStore(_db = await Db.MigratedAsync(postgres.NewDatabase("jobs")), Time);

    protected override IJobResultStore ResultStore() => new PostgresJobResultStore(_db!);
}

public sealed class InMemoryJobStoreTests : JobStoreContract
{
    private readonly InMemoryJobResultStore _results = new();

    protected override Task<IJobStore> CreateStoreAsync() => Task.FromResult<IJobStore>(new InMemoryJobStore(Time));

    protected override IJobResultStore ResultStore() => _results;
}
