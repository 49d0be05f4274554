using System.Diagnostics.Metrics;
using Broker.Core.Search;
using Broker.Core.Services;
using Broker.Core.Telemetry;
using Broker.Core.Tests.Search;
using Broker.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Broker.Core.Tests.Services;

/// <summary>The orphaned-job janitor on a fake clock: remembered jobs are deleted with backoff until the provider confirms or they expire.</summary>
public sealed class OrphanedJobsTests : IDisposable
{
    private static readonly Uri Job = new("http://127.0.0.1:9/p/async/job1");
    private static readonly OrphanedJobOptions Options = new()
    {
        SweepInterval = TimeSpan.FromSeconds(10), RetryInitial = TimeSpan.FromSeconds(30), RetryMax = TimeSpan.FromMinutes(4), MaxAge = TimeSpan.FromHours(1),
    };

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly EngineHarness _harness = new(EngineHarness.Yaml(EngineHarness.Entry("p")));
    private readonly BrokerMetrics _metrics = new();
    private readonly InMemoryOrphanedJobStore _store = new();
    private readonly OrphanedJobs _jobs;

    public OrphanedJobsTests() => _jobs = new OrphanedJobs(_store, Options, _metrics, _time, NullLogger<OrphanedJobs>.Instance);

    public void Dispose() => _metrics.Dispose();

    [Fact]
    public async Task Sweep_ProviderRefusesThenConfirms_RetriedWithDoublingBackoffThenForgotten()
    {
        var refusals = 3;
        _harness["p"].DeleteJob = _ => refusals-- > 0 ? "HTTP 500" : null;
        await _jobs.RememberAsync("p", Job, destruction: null, "HTTP 500", default);
        Assert.Equal(1, _jobs.Waiting);

        // Not due before RetryInitial; then attempts after 30 s, 60 s more, 120 s more (doubling), and the 4th is confirmed.
        var attemptsAt = new List<TimeSpan>();
        var start = _time.GetUtcNow();
        for (var step = 0; step < 60 && _jobs.Waiting > 0; step++)
        {
            var before = _harness["p"].DeleteRequests.Count;
            await _jobs.SweepAsync(_harness.Catalog, default);
            if (_harness["p"].DeleteRequests.Count > before) attemptsAt.Add(_time.GetUtcNow() - start);
            _time.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.Equal([30, 90, 210, 450], attemptsAt.Select(t => (int)t.TotalSeconds));
        Assert.Equal(0, _jobs.Waiting);
        Assert.Equal(0, await _store.CountAsync(default));
        Assert.All(_harness["p"].DeleteRequests, u => Assert.Equal(Job, u));
    }

    [Fact]
    public async Task Sweep_PastTheJobsDestructionTime_GivesUpWithoutAnotherDelete()
    {
        _harness["p"].DeleteJob = _ => "connection refused";
        await _jobs.RememberAsync("p", Job, destruction: _time.GetUtcNow().AddSeconds(45), "connection refused", default);

        _time.Advance(TimeSpan.FromSeconds(30));
        await _jobs.SweepAsync(_harness.Catalog, default);
        _time.Advance(TimeSpan.FromSeconds(20));
        await _jobs.SweepAsync(_harness.Catalog, default);

        Assert.Single(_harness["p"].DeleteRequests);
        Assert.Equal(0, _jobs.Waiting);
    }

    [Fact]
    public async Task Sweep_ProviderNotInTheRegistry_KeepsTheJobUntilMaxAge()
    {
        await _jobs.RememberAsync("gone", Job, destruction: null, "HTTP 503", default);

        _time.Advance(TimeSpan.FromMinutes(59));
        await _jobs.SweepAsync(_harness.Catalog, default);
        Assert.Equal(1, _jobs.Waiting);
        _time.Advance(TimeSpan.FromMinutes(1));
        await _jobs.SweepAsync(_harness.Catalog, default);
        Assert.Equal(0, _jobs.Waiting);
    }

    [Fact]
    public async Task RunAsync_OnTheInjectedClock_DeletesTheJobAndSurvivesAFailingStore()
    {
        var store = new FlakyStore(_store, failures: 2);
        var jobs = new OrphanedJobs(store, Options, _metrics, _time, NullLogger<OrphanedJobs>.Instance);
        _harness["p"].DeleteJob = _ => "HTTP 500";
        await jobs.RememberAsync("p", Job, destruction: null, "HTTP 500", default);
        using var stop = new CancellationTokenSource();
        var loop = jobs.RunAsync(_harness.Catalog, stop.Token);

        // The first two sweeps throw (store down): logged, the loop goes on. The provider refuses until told otherwise.
        await Wait.UntilAsync(() =>
        {
            _time.Advance(Options.SweepInterval);
            return Task.FromResult(!_harness["p"].DeleteRequests.IsEmpty);
        }, TimeSpan.FromSeconds(10), "a first DELETE");
        Assert.False(loop.IsCompleted);
        _harness["p"].DeleteJob = _ => null;
        await Wait.UntilAsync(() =>
        {
            _time.Advance(Options.SweepInterval);
            return Task.FromResult(jobs.Waiting == 0);
        }, TimeSpan.FromSeconds(10), "the job to be deleted");

        Assert.Equal(0, ReadGauge());
        Assert.True(store.Failed >= 2);
        stop.Cancel();
        await loop;
    }

    [Fact]
    public async Task Gauge_ShowsHowManyJobsWait()
    {
        await _jobs.RememberAsync("p", Job, null, "HTTP 500", default);
        await _jobs.RememberAsync("p", new Uri("http://127.0.0.1:9/p/async/job2"), null, "HTTP 500", default);
        await _jobs.RememberAsync("p", Job, null, "HTTP 500", default);

        Assert.Equal(2, ReadGauge());
    }

    private long ReadGauge()
    {
        long? value = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == _metrics.Meter && instrument.Name == "broker.uws.orphaned_jobs") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<int>((_, v, _, _) => value = v);
        listener.Start();
        listener.RecordObservableInstruments();
        return value ?? throw new InvalidOperationException("the gauge broker.uws.orphaned_jobs is not on the shared meter");
    }

    /// <summary>A store whose first sweeps fail (PostgreSQL down).</summary>
    private sealed class FlakyStore(IOrphanedJobStore inner, int failures) : IOrphanedJobStore
    {
        public int Failed;

        public Task RememberAsync(string providerId, Uri jobUrl, DateTimeOffset giveUpAt, DateTimeOffset nextAttemptAt, CancellationToken ct) =>
            inner.RememberAsync(providerId, jobUrl, giveUpAt, nextAttemptAt, ct);

        public Task<IReadOnlyList<OrphanedJob>> ClaimDueAsync(DateTimeOffset now, RetryBackoff backoff, int max, CancellationToken ct) =>
            inner.ClaimDueAsync(now, backoff, max, ct);

        public Task ForgetAsync(Uri jobUrl, CancellationToken ct) => inner.ForgetAsync(jobUrl, ct);

        public Task<IReadOnlyList<OrphanedJob>> ForgetExpiredAsync(DateTimeOffset now, CancellationToken ct) =>
            Interlocked.Increment(ref Failed) <= failures ? throw new InvalidOperationException("store down") : inner.ForgetExpiredAsync(now, ct);

        public Task<int> CountAsync(CancellationToken ct) => inner.CountAsync(ct);
    }
}
