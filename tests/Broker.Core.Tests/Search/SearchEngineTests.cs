using Broker.Core.Model;
using Broker.Core.Providers;
using Broker.Core.Search;
using Broker.Core.Services;
using Broker.Testing;
using static Broker.Core.Tests.Search.EngineHarness;

namespace Broker.Core.Tests.Search;

public class SearchEngineTests
{
    [Fact]
    public async Task SearchAsync_ThreeProviders_MergesDeduplicatesAndOrders()
    {
        var h = new EngineHarness(Yaml(Entry("a"), Entry("b"), Entry("c")));
        h["a"].Behaviour = (_, _) => Task.FromResult(new ProviderAnswer([FakeAdapter.Record("a", "2", T0.AddHours(2)), FakeAdapter.Record("a", "1", T0.AddHours(1))]));
        h["b"].Behaviour = (_, _) => Task.FromResult(new ProviderAnswer([FakeAdapter.Record("b", "1", T0.AddHours(1)), FakeAdapter.Record("b", "1", T0.AddHours(1))]));
        h["c"].Behaviour = (_, _) => Task.FromResult(ProviderAnswer.Empty);

        var result = await h.Engine.SearchAsync(Request(), CancellationToken.None);

        Assert.Equal(["a/1", "b/1", "a/2"], result.Records.Select(r => $"{r.Provider}/{r.FileId}"));
        Assert.Equal(3, result.Total);
        Assert.False(result.Truncated);
        Assert.Equal(ProviderStatus.Empty, result.Providers.Single(p => p.ProviderId == "c").Status);
    }

    [Fact]
    public async Task SearchAsync_HungProvider_IsTimeoutWithinItsBudgetWhileOthersAnswer()
    {
        var h = new EngineHarness(Yaml(Entry("fast"), Entry("hung", resilience: "      timeout: 300ms\n      retries: 0\n")));
        h["fast"].Behaviour = (_, _) => Task.FromResult(new ProviderAnswer([FakeAdapter.Record("fast", "x", T0)]));
        h["hung"].Behaviour = async (_, ct) => { await Wait.UntilCancelledAsync(ct); return ProviderAnswer.Empty; };

        var search = h.Engine.SearchAsync(Request(), CancellationToken.None);
        await Wait.UntilAsync(() => h["hung"].Calls == 1 && h["fast"].Calls == 1, "both providers to be asked");
        h.Time.Advance(TimeSpan.FromMilliseconds(299));
        Assert.False(search.IsCompleted, "the search ended before the hung provider's budget");
        h.Time.Advance(TimeSpan.FromMilliseconds(1)); // the budget, not the search deadline, ends the call
        var result = await search;

        var hung = result.Providers.Single(p => p.ProviderId == "hung");
        Assert.Equal(ProviderStatus.Timeout, hung.Status);
        Assert.Equal(0, hung.RecordCount);
        Assert.Contains("no answer within", hung.Message);
        Assert.Single(result.Records);
        Assert.Equal(1, h["hung"].Cancellations);
    }

    [Fact]
    public async Task SearchAsync_ProviderIgnoringCancellation_StillEndsAtTheSearchDeadline()
    {
        var h = new EngineHarness(Yaml(Entry("deaf", resilience: "      timeout: 60s\n      retries: 0\n")),
            new SearchOptions { Deadline = TimeSpan.FromMilliseconds(300) });
        var never = new TaskCompletionSource<ProviderAnswer>(); // ignores its cancellation token
        h["deaf"].Behaviour = (_, _) => never.Task;

        var search = h.Engine.SearchAsync(Request(), CancellationToken.None);
        await Wait.UntilAsync(() => h["deaf"].Calls == 1, "the provider to be asked");
        h.Time.Advance(TimeSpan.FromMilliseconds(300));
        var result = await search;

        Assert.Equal(ProviderStatus.Timeout, result.Providers.Single().Status);
        Assert.Contains("deadline", result.Providers.Single().Message);
    }

    [Fact]
    public async Task SearchAsync_FailingProvider_IsErrorWithItsMessage()
    {
        var h = new EngineHarness(Yaml(Entry("bad"), Entry("good")));
        h["bad"].Behaviour = (_, _) => throw new ProviderException("malformed VOTable from bad: unexpected end of file");
        h["good"].Behaviour = (_, _) => Task.FromResult(new ProviderAnswer([FakeAdapter.Record("good", "g", T0)]));

        var result = await h.Engine.SearchAsync(Request(), CancellationToken.None);

        var bad = result.Providers.Single(p => p.ProviderId == "bad");
        Assert.Equal(ProviderStatus.Error, bad.Status);
        Assert.Contains("unexpected end of file", bad.Message);
        Assert.Single(result.Records);
    }

    [Fact]
    public async Task SearchAsync_TransientFailure_IsRetried()
    {
        var h = new EngineHarness(Yaml(Entry("flaky", resilience: "      timeout: 2s\n      retries: 2\n      retryDelay: 0ms\n")));
        h["flaky"].Behaviour = (_, _) => h["flaky"].Calls < 3
            ? throw new ProviderException("HTTP 503", transient: true)
            : Task.FromResult(new ProviderAnswer([FakeAdapter.Record("flaky", "f", T0)]));

        var result = await h.Engine.SearchAsync(Request(), CancellationToken.None);

        Assert.Equal(ProviderStatus.Ok, result.Providers.Single().Status);
        Assert.Equal(3, h["flaky"].Calls);
    }

    [Fact]
    public async Task SearchAsync_PermanentFailure_IsNotRetried()
    {
        var h = new EngineHarness(Yaml(Entry("p", resilience: "      timeout: 2s\n      retries: 3\n      retryDelay: 0ms\n")));
        h["p"].Behaviour = (_, _) => throw new ProviderException("HTTP 400: unknown column");

        await h.Engine.SearchAsync(Request(), CancellationToken.None);

        Assert.Equal(1, h["p"].Calls);
    }

    [Fact]
    public async Task SearchAsync_AfterRepeatedFailures_CircuitOpensAndSkipsInstantly()
    {
        var h = new EngineHarness(Yaml(Entry("down", resilience:
            "      timeout: 2s\n      retries: 0\n      breakerMinimumThroughput: 2\n      breakerFailureRatio: 0.5\n      breakerBreakDuration: 30s\n")));
        h["down"].Behaviour = (_, _) => throw new ProviderException("HTTP 500");

        for (var i = 0; i < 3; i++) await h.Engine.SearchAsync(Request(), CancellationToken.None);
        var callsBefore = h["down"].Calls;
        var result = await h.Engine.SearchAsync(Request(), CancellationToken.None);

        Assert.Equal(ProviderStatus.CircuitOpen, result.Providers.Single().Status);
        Assert.Equal(callsBefore, h["down"].Calls);
        Assert.Equal("open", h.Catalog.Current.Find("down")!.Snapshot().Circuit);
    }

    [Fact]
    public async Task SearchAsync_ErrorsCausedByTheCallersInput_NeverOpenTheCircuitNorCountAsFailures()
    {
        var h = new EngineHarness(Yaml(Entry("p", resilience:
            "      timeout: 2s\n      retries: 0\n      breakerMinimumThroughput: 2\n      breakerFailureRatio: 0.5\n      breakerBreakDuration: 30s\n")));
        h["p"].Behaviour = (_, _) => throw new ArgumentNullException("key");

        for (var i = 0; i < 6; i++)
            Assert.Equal(ProviderStatus.Error, (await h.Engine.SearchAsync(Request(), CancellationToken.None)).Providers.Single().Status);

        var state = h.Catalog.Current.Find("p")!.Snapshot();
        Assert.Equal("closed", state.Circuit);
        Assert.Equal(0, state.Failures);
        Assert.Null(state.LastError);
        Assert.Equal(6, h["p"].Calls);
    }

    [Fact]
    public async Task ResolveAsync_InvalidFileIds_AreTheCallersErrorBeforeAnyProviderCall()
    {
        var h = new EngineHarness(Yaml(Entry("p")));
        var resolver = new FileResolver(h.Catalog, TimeProvider.System);

        var ex = await Assert.ThrowsAsync<Broker.Core.Validation.QueryValidationException>(() => resolver.ResolveAsync(
            [new FileGroup("p", [new FileRequest("ok"), new FileRequest(null!), new FileRequest(""), new FileRequest(new string('x', 1025))])],
            null, CancellationToken.None));

        Assert.Equal(["fileIds[1]", "fileIds[2]", "fileIds[3]"], ex.Errors.Select(e => e.Field));
        Assert.Equal("closed", h.Catalog.Current.Find("p")!.Snapshot().Circuit);
        Assert.Equal(0, h.Catalog.Current.Find("p")!.Snapshot().Calls);
    }

    [Fact]
    public async Task SearchAsync_CallerCancels_ProviderCallsAreCancelled()
    {
        var h = new EngineHarness(Yaml(Entry("slow", resilience: "      timeout: 30s\n      retries: 0\n")));
        var started = new TaskCompletionSource();
        h["slow"].Behaviour = async (_, ct) => { started.SetResult(); await Wait.UntilCancelledAsync(ct); return ProviderAnswer.Empty; };
        using var cts = new CancellationTokenSource();

        var search = h.Engine.SearchAsync(Request(), cts.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(5));
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => search);
        await WaitUntil(() => h["slow"].Cancellations == 1);
    }

    [Fact]
    public async Task SearchAsync_ConcurrentIdenticalQueries_AskTheProviderOnce()
    {
        var h = new EngineHarness(Yaml(Entry("p")));
        var gate = new TaskCompletionSource();
        h["p"].Behaviour = async (_, _) => { await gate.Task; return new ProviderAnswer([FakeAdapter.Record("p", "x", T0)]); };

        var searches = Enumerable.Range(0, 5).Select(_ => h.Engine.SearchAsync(Request(), CancellationToken.None)).ToList();
        // Every search joined the one call before SearchAsync returned: joining happens before the first await.
        await WaitUntil(() => h["p"].Calls >= 1);
        gate.SetResult();
        var results = await Task.WhenAll(searches);

        Assert.Equal(1, h["p"].Calls);
        Assert.All(results, r => Assert.Single(r.Records));
    }

    [Fact]
    public async Task SearchAsync_OneOfTwoCoalescedCallersCancels_TheOtherStillGetsTheAnswer()
    {
        var h = new EngineHarness(Yaml(Entry("p")));
        var gate = new TaskCompletionSource();
        h["p"].Behaviour = async (_, ct) => { await gate.Task.WaitAsync(ct); return new ProviderAnswer([FakeAdapter.Record("p", "x", T0)]); };
        using var cts = new CancellationTokenSource();

        var leaving = h.Engine.SearchAsync(Request(), cts.Token);
        var staying = h.Engine.SearchAsync(Request(), CancellationToken.None);
        await WaitUntil(() => h["p"].Calls >= 1);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);
        gate.SetResult();

        Assert.Single((await staying).Records);
        Assert.Equal(0, h["p"].Cancellations);
    }

    [Fact]
    public async Task SearchAsync_Limit_TruncatesHonestly()
    {
        var h = new EngineHarness(Yaml(Entry("p")));
        h["p"].Behaviour = (_, _) => Task.FromResult(new ProviderAnswer(
            Enumerable.Range(0, 10).Select(i => FakeAdapter.Record("p", $"f{i:D2}", T0.AddMinutes(i))).ToList()));

        var result = await h.Engine.SearchAsync(Request(limit: 4), CancellationToken.None);

        Assert.Equal(4, result.Records.Count);
        Assert.Equal(10, result.Total);
        Assert.True(result.Truncated);
        Assert.True(result.TotalExact);
        Assert.Equal(40, result.TruncatedPercent); // VAMDC: the share returned
    }

    [Fact]
    public async Task SearchAsync_ProviderOverflow_SetsTruncated()
    {
        var h = new EngineHarness(Yaml(Entry("p")));
        h["p"].Behaviour = (_, _) => Task.FromResult(new ProviderAnswer([FakeAdapter.Record("p", "x", T0)], Truncated: true));

        var result = await h.Engine.SearchAsync(Request(), CancellationToken.None);

        Assert.True(result.Truncated);
        Assert.True(result.Providers.Single().Truncated);
    }

    [Fact]
    public async Task SearchAsync_RecordsOutsideTheTimeRange_AreDropped()
    {
        var h = new EngineHarness(Yaml(Entry("p")));
        h["p"].Behaviour = (_, _) => Task.FromResult(new ProviderAnswer([FakeAdapter.Record("p", "in", T0), FakeAdapter.Record("p", "out", T0.AddDays(5))]));

        var result = await h.Engine.SearchAsync(Request(), CancellationToken.None);

        Assert.Equal("in", Assert.Single(result.Records).FileId);
    }

    [Fact]
    public async Task SearchAsync_InstrumentOnlyOneProviderOffers_AsksOnlyThatProvider()
    {
        var h = new EngineHarness(Yaml(
            Entry("soar", "    capabilities:\n      instruments: [EUI]\n      filters: [instrument]\n"),
            Entry("sdo", "    capabilities:\n      instruments: [AIA]\n      filters: [instrument]\n")));

        var result = await h.Engine.SearchAsync(Request(instrument: "eui"), CancellationToken.None);

        Assert.Equal(1, h["soar"].Calls);
        Assert.Equal(0, h["sdo"].Calls);
        Assert.Equal(ProviderStatus.Skipped, result.Providers.Single(p => p.ProviderId == "sdo").Status);
    }

    [Fact]
    public async Task SearchAsync_NobodyCanAnswer_ThrowsWithReasons()
    {
        var h = new EngineHarness(Yaml(Entry("soar", "    capabilities:\n      instruments: [EUI]\n")));

        var ex = await Assert.ThrowsAsync<NoProviderException>(() => h.Engine.SearchAsync(Request(instrument: "AIA"), CancellationToken.None));

        Assert.Contains("instrument 'AIA' is not offered", ex.Message);
    }

    [Fact]
    public async Task SearchAsync_AttributeProviderCannotFilter_IsPostFiltered()
    {
        var h = new EngineHarness(Yaml(Entry("p")));
        h["p"].Behaviour = (_, _) => Task.FromResult(new ProviderAnswer([
            FakeAdapter.Record("p", "euv", T0, wave: 174), FakeAdapter.Record("p", "vis", T0, wave: 6173)]));
        var request = Request() with
        {
            Query = NormalizedQuery.Single(new QueryBlock { Time = new TimeRange(T0, T0.AddDays(1)), Wave = new WaveRange(170, 180) }),
        };

        var result = await h.Engine.SearchAsync(request, CancellationToken.None);

        Assert.Equal("euv", Assert.Single(result.Records).FileId);
    }

    [Fact]
    public async Task SearchAsync_CachedAnswer_IsServedWithoutCallingTheProvider()
    {
        var cache = new DictionaryCache();
        var h = new EngineHarness(Yaml(Entry("p")), cache: cache);
        h["p"].Behaviour = (_, _) => Task.FromResult(new ProviderAnswer([FakeAdapter.Record("p", "x", T0)]));

        await h.Engine.SearchAsync(Request(), CancellationToken.None);
        var second = await h.Engine.SearchAsync(Request(), CancellationToken.None);
        var bypass = await h.Engine.SearchAsync(Request() with { BypassCache = true }, CancellationToken.None);

        Assert.True(second.Providers.Single().FromCache);
        Assert.False(bypass.Providers.Single().FromCache);
        Assert.Equal(2, h["p"].Calls);
    }

    [Fact]
    public async Task SearchAsync_FailedCallAfterAMiss_AbandonsTheCacheEntry()
    {
        var cache = new DictionaryCache();
        var h = new EngineHarness(Yaml(Entry("p")), cache: cache);
        h["p"].Behaviour = (_, _) => throw new ProviderException("HTTP 500");

        await h.Engine.SearchAsync(Request(), CancellationToken.None);

        Assert.Equal(1, cache.Abandoned);
    }

    [Fact]
    public async Task SearchAsync_ListenerThrows_SearchStillAnswers()
    {
        var listener = new ThrowingListener();
        var h = new EngineHarness(Yaml(Entry("p")), listeners: listener);

        var result = await h.Engine.SearchAsync(Request(), CancellationToken.None);

        Assert.Equal(1, listener.Calls);
        Assert.NotNull(result.QueryId);
    }

    private static Task WaitUntil(Func<bool> condition) => Wait.UntilAsync(condition, "the providers' counters");

    private sealed class DictionaryCache : IAnswerCache
    {
        private readonly Dictionary<string, ProviderAnswer> _items = new();
        public ValueTask<ProviderAnswer?> GetAsync(string providerId, string blockKey, CancellationToken ct) =>
            ValueTask.FromResult(_items.GetValueOrDefault(providerId + blockKey));
        public ValueTask SetAsync(string providerId, string blockKey, ProviderAnswer answer, TimeSpan ttl, CancellationToken ct)
        {
            _items[providerId + blockKey] = answer;
            return ValueTask.CompletedTask;
        }

        public int Abandoned;

        public ValueTask AbandonAsync(string providerId, string blockKey, CancellationToken ct)
        {
            Abandoned++;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class ThrowingListener : ISearchListener
    {
        public int Calls;
        public ValueTask OnSearchCompletedAsync(SearchRequest request, SearchResult result, CancellationToken ct)
        {
            Calls++;
            throw new InvalidOperationException("listener broke");
        }
    }
}
