using Broker.Core.Search;
using Broker.Sessions.Redis;
using Broker.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Broker.Sessions.Tests.Redis;

/// <summary>
/// Session writes off the request path, across instances: instance A's search returns while its write is still held,
/// and instance B, reading the same session's query meanwhile, waits for the write instead of answering "no such query".
/// </summary>
public sealed class PendingWritesTests(SingleRedisFixture redis) : RedisStoreTestBase(redis, FunctionalTimeout), IClassFixture<SingleRedisFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SearchReturnsBeforeItsWrite_AnotherInstanceReadingMeanwhileWaitsAndFindsTheRecords()
    {
        var connection = Services.GetRequiredService<RedisConnection>();
        var options = Services.GetRequiredService<BrokerSessionOptions>();
        var marks = new RedisPendingWrites(connection, TimeProvider.System);
        var store = new RedisSessionStore(connection, options, TimeProvider.System);
        var session = await store.CreateAsync(CancellationToken.None);
        var result = TestResults.Of(30);

        // Instance A: its store's writes are held until the gate opens.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var queueA = new SessionWriteQueue(new GatedStore(store, gate.Task), TimeProvider.System, NullLogger<SessionWriteQueue>.Instance, marks);
        // The search's part returns although the write cannot have finished (the gate is closed).
        await queueA.OnSearchCompletedAsync(new SearchRequest { Query = result.Query, SessionId = session.Id }, result, CancellationToken.None)
            .AsTask().WaitAsync(Patience);
        Assert.False(gate.Task.IsCompleted);
        Assert.Equal(1, queueA.Queued);

        // Instance B: its own (empty) queue; it sees A's mark, and the test opens A's gate only once B has seen it.
        var observing = new ObservingMarks(marks, onPendingSeen: () => gate.TrySetResult());
        var queueB = new SessionWriteQueue(store, TimeProvider.System, NullLogger<SessionWriteQueue>.Instance, observing);
        var storeB = new QueuedSessionStore(store, queueB, TimeProvider.System, observing);

        var page = await storeB.GetRecordsAsync(session.Id, result.QueryId, 0, 10, CancellationToken.None).WaitAsync(Patience);

        Assert.True(observing.PendingSeen, "B found the query only after seeing A's write pending");
        Assert.NotNull(page);
        Assert.Equal(30, page.Total);
        Assert.Equal(result.Records.Take(10).Select(r => r.FileId), page.Records.Select(r => r.FileId));
        await Wait.UntilAsync(() => Task.FromResult(queueA.Queued == 0), Patience, "A's write to finish");
        Assert.False(await marks.AnyAsync(session.Id, CancellationToken.None));
        Assert.NotNull(await storeB.GetQueryAsync(session.Id, result.QueryId, CancellationToken.None));
    }

    [Fact]
    public async Task AQueryNeverRun_IsNotFoundAtOnce()
    {
        var connection = Services.GetRequiredService<RedisConnection>();
        var marks = new ObservingMarks(new RedisPendingWrites(connection, TimeProvider.System), onPendingSeen: () => { });
        var session = await Store.CreateAsync(CancellationToken.None);

        Assert.Null(await Store.GetQueryAsync(session.Id, "no-such-query", CancellationToken.None));
        Assert.False(await marks.AnyAsync(session.Id, CancellationToken.None));
        Assert.False(marks.PendingSeen);
    }

    /// <summary>A store whose query writes wait for a gate (an instance whose write is slow).</summary>
    private sealed class GatedStore(ISessionStore inner, Task gate) : ISessionStore
    {
        public Task<SessionInfo> CreateAsync(CancellationToken ct) => inner.CreateAsync(ct);
        public Task<SessionInfo?> TouchAsync(string id, CancellationToken ct) => inner.TouchAsync(id, ct);
        public Task<bool> DeleteAsync(string id, CancellationToken ct) => inner.DeleteAsync(id, ct);
        public async Task AddQueryAsync(string id, SearchResult result, CancellationToken ct)
        {
            await gate.WaitAsync(ct);
            await inner.AddQueryAsync(id, result, ct);
        }
        public Task<IReadOnlyList<QuerySummary>> GetHistoryAsync(string id, CancellationToken ct) => inner.GetHistoryAsync(id, ct);
        public Task<QuerySummary?> GetQueryAsync(string id, string q, CancellationToken ct) => inner.GetQueryAsync(id, q, ct);
        public Task<RecordPage?> GetRecordsAsync(string id, string q, int o, int l, CancellationToken ct) => inner.GetRecordsAsync(id, q, o, l, ct);
        public Task<IReadOnlyDictionary<string, Core.Model.DataRecord>> FindRecordsAsync(string id, IReadOnlyCollection<string> f, CancellationToken ct) =>
            inner.FindRecordsAsync(id, f, ct);
    }

    /// <summary>The real marks, telling when a reader saw a pending write.</summary>
    private sealed class ObservingMarks(IPendingSessionWrites inner, Action onPendingSeen) : IPendingSessionWrites
    {
        public bool PendingSeen { get; private set; }
        public Task MarkAsync(string s, string q, TimeSpan l, CancellationToken ct) => inner.MarkAsync(s, q, l, ct);
        public Task ClearAsync(string s, string q, CancellationToken ct) => inner.ClearAsync(s, q, ct);
        public async Task<bool> AnyAsync(string s, CancellationToken ct)
        {
            var any = await inner.AnyAsync(s, ct);
            if (any)
            {
                PendingSeen = true;
                onPendingSeen();
            }
            return any;
        }
    }
}
