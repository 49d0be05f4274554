using Broker.Core.Providers;
using Broker.Providers.Tap.Tests.Fakes;
using static Broker.Providers.Tap.Tests.Fakes.Tables;

namespace Broker.Providers.Tap.Tests.Protocol;

/// <summary>The UWS 1.1 lifecycle: create (PHASE=RUN), follow the 303, poll with WAIT, fetch, and always DELETE.</summary>
public sealed class AsyncQueryTests : IAsyncLifetime
{
    private const string AsyncOptions = "profile: soar\ninstrumentTables: {}\nmode: async\npollInterval: 50ms\nmaxPollInterval: 200ms";
    private static readonly Answer TwoRows = SoarItems(["a", "b"]);
    private FakeTapServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeTapServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SearchAsync_CompletingJob_CreatesPollsFetchesAndDeletes(bool relativeLocation)
    {
        var uws = new FakeUws(_server, JobScript.Complete, TwoRows, relativeLocation);
        var adapter = TapHarness.Adapter(_server, AsyncOptions);

        var answer = await adapter.SearchAsync(TapHarness.Jan1, 100, default);

        Assert.Equal(["a", "b"], answer.Records.Select(r => r.FileId));
        var create = Assert.Single(_server.Received("POST", "/tap/async"), r => r.Path == "/tap/async");
        Assert.Equal("RUN", create["PHASE"]);
        Assert.Equal("100", create["MAXREC"]);
        Assert.Contains("is_active", create["QUERY"], StringComparison.Ordinal);
        var polls = _server.Received("GET", "/tap/async/job1").Where(r => r.Path == "/tap/async/job1").ToList();
        Assert.True(polls.Count >= 3);
        Assert.All(polls.Where(p => p.QueryString.Length > 0), p => Assert.NotNull(p["WAIT"]));
        Assert.Single(_server.Received("GET", "/tap/async/job1/results/result"));
        Assert.Single(_server.Received("DELETE", "/tap/async/job1"));
        Assert.Equal(0, uws.LiveJobs);
    }

    [Fact]
    public async Task SearchAsync_JobLocationOnAnotherHost_IsRefusedNotFollowed()
    {
        _server.On("POST /tap/async", (ctx, _) =>
        {
            ctx.Response.StatusCode = 303;
            ctx.Response.Headers.Location = "http://elsewhere.invalid/tap/async/job1";
            return Task.CompletedTask;
        });
        var adapter = TapHarness.Adapter(_server, AsyncOptions);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => adapter.SearchAsync(TapHarness.Jan1, 100, default));

        Assert.Contains("not a host and port of the registry", ex.Message);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task SearchAsync_ResultLinkOnAnotherPortOfTheSameHost_IsRefusedNotFetched()
    {
        await using var other = await FakeTapServer.StartAsync();
        var uws = new FakeUws(_server, JobScript.Complete, TwoRows) { ResultRoot = other.Root };
        _ = new FakeUws(other, JobScript.Complete, TwoRows);
        var adapter = TapHarness.Adapter(_server, AsyncOptions);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => adapter.SearchAsync(TapHarness.Jan1, 100, default));

        Assert.Contains($"result at {other.Root.Scheme}://{other.Root.Authority}, which is not a host and port of the registry", ex.Message);
        Assert.Empty(other.Received("GET", "/tap/async/job1/results/result"));
        Assert.Single(_server.Received("DELETE", "/tap/async/job1"));
        Assert.Equal(0, uws.LiveJobs);
    }

    [Fact]
    public async Task SearchAsync_ResultLinkOnAnotherHost_IsRefused()
    {
        _ = new FakeUws(_server, JobScript.Complete, TwoRows) { ResultRoot = new Uri($"http://elsewhere.invalid:{_server.Root.Port}/") };
        var adapter = TapHarness.Adapter(_server, AsyncOptions);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => adapter.SearchAsync(TapHarness.Jan1, 100, default));

        Assert.Contains("which is not a host and port of the registry", ex.Message);
    }

    [Fact]
    public async Task SearchAsync_JobCreatedPending_PostsPhaseRun()
    {
        _ = new FakeUws(_server, JobScript.Complete, TwoRows, runOnCreate: false);
        var adapter = TapHarness.Adapter(_server, AsyncOptions);

        var answer = await adapter.SearchAsync(TapHarness.Jan1, 100, default);

        Assert.Equal(2, answer.Records.Count);
        var run = Assert.Single(_server.Received("POST", "/tap/async/job1/phase"));
        Assert.Equal("RUN", run["PHASE"]);
    }

    [Fact]
    public async Task SearchAsync_HandlerFollowingRedirects_StillFindsTheJob()
    {
        var uws = new FakeUws(_server, JobScript.Complete, TwoRows);
        var adapter = TapHarness.Adapter(TapHarness.Yaml("p", _server.TapUrl, AsyncOptions), http: new HttpClient());

        var answer = await adapter.SearchAsync(TapHarness.Jan1, 100, default);

        Assert.Equal(2, answer.Records.Count);
        Assert.Single(_server.Received("DELETE", "/tap/async/job1"));
        Assert.Equal(0, uws.LiveJobs);
    }

    [Fact]
    public async Task SearchAsync_JobError_ThrowsTheErrorSummaryAndDeletes()
    {
        _ = new FakeUws(_server, JobScript.Fail, TwoRows);
        var adapter = TapHarness.Adapter(_server, AsyncOptions);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => adapter.SearchAsync(TapHarness.Jan1, 100, default));

        Assert.Contains("column wavemin does not exist", ex.Message, StringComparison.Ordinal);
        Assert.Single(_server.Received("DELETE", "/tap/async/job1"));
    }

    [Fact]
    public async Task SearchAsync_JobNeverEnding_CancelDeletesTheJob()
    {
        var uws = new FakeUws(_server, JobScript.Never, TwoRows);
        var adapter = TapHarness.Adapter(_server, AsyncOptions);
        using var cts = new CancellationTokenSource();

        var search = adapter.SearchAsync(TapHarness.Jan1, 100, cts.Token);
        // Cancel once the job is being polled (a fixed delay raced a slow first request on a cold machine).
        await Broker.Testing.Wait.UntilAsync(() => _server.Received("GET", "/tap/async/job1").Count() >= 2, "the job to be polled");
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => search);

        Assert.Single(_server.Received("DELETE", "/tap/async/job1"));
        Assert.Equal(0, uws.LiveJobs);
        Assert.True(_server.Received("GET", "/tap/async/job1").Count() >= 2);
    }

    [Fact]
    public async Task SearchAsync_CancelledWhileTheJobIsBeingCreated_StillDeletesTheJob()
    {
        var uws = new FakeUws(_server, JobScript.Never, TwoRows);
        var create = _server.Handler("POST /tap/async")!;
        var creationReached = new TaskCompletionSource();
        var creationMayAnswer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.On("POST /tap/async", async (ctx, req) =>
        {
            creationReached.TrySetResult();
            await creationMayAnswer.Task; // the provider answers the creation only after the caller has cancelled
            await create(ctx, req);
        });
        var adapter = TapHarness.Adapter(_server, AsyncOptions);
        using var cts = new CancellationTokenSource();

        var search = adapter.SearchAsync(TapHarness.Jan1, 100, cts.Token);
        await creationReached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        cts.Cancel();
        creationMayAnswer.SetResult();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => search);

        Assert.Single(_server.Received("DELETE", "/tap/async/job1"));
        Assert.Equal(0, uws.LiveJobs);
    }

    [Fact]
    public async Task SearchAsync_AutoModeAboveThreshold_RunsAsync()
    {
        _ = new FakeUws(_server, JobScript.Complete, TwoRows);
        var adapter = TapHarness.Adapter(_server, "profile: soar\ninstrumentTables: {}\nmode: auto\nasyncThreshold: 50\npollInterval: 50ms");

        await adapter.SearchAsync(TapHarness.Jan1, 51, default);

        Assert.Empty(_server.Received("POST", "/tap/sync"));
        Assert.Single(_server.Received("DELETE", "/tap/async/job1"));
    }

    [Fact]
    public async Task SearchAsync_AutoModeSyncTooSlow_FallsBackToAsync()
    {
        _server.On("POST /tap/sync", async (ctx, _) => await Task.Delay(TimeSpan.FromSeconds(30), ctx.RequestAborted));
        _ = new FakeUws(_server, JobScript.Complete, TwoRows);
        var adapter = TapHarness.Adapter(_server, "profile: soar\ninstrumentTables: {}\nmode: auto\nsyncTimeout: 300ms\npollInterval: 50ms");

        var answer = await adapter.SearchAsync(TapHarness.Jan1, 10, default);

        Assert.Equal(2, answer.Records.Count);
        Assert.Single(_server.Received("POST", "/tap/sync"));
        Assert.Single(_server.Received("DELETE", "/tap/async/job1"));
    }
}
