using Broker.Core.Search;
using Broker.Sessions.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Broker.Sessions.Tests;

/// <summary>A search is stored in its session after its answer was delivered, and never later than the delivery bound.</summary>
public sealed class SessionWriteQueueTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Write_WaitsForTheAnswersDelivery()
    {
        var (store, queue, session) = await StartAsync();
        var delivered = new TaskCompletionSource();
        var result = TestResults.Of(5);

        await queue.OnSearchCompletedAsync(RequestOf(session, delivered.Task), result, CancellationToken.None);
        var written = queue.WhenWrittenAsync(session);
        await Task.WhenAny(written, Task.Delay(TimeSpan.FromMilliseconds(200))); // room to (wrongly) write before delivery
        var beforeDelivery = await store.GetQueryAsync(session, result.QueryId, CancellationToken.None);
        delivered.SetResult();
        await written.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Null(beforeDelivery);
        Assert.NotNull(await store.GetQueryAsync(session, result.QueryId, CancellationToken.None));
    }

    [Fact]
    public async Task Write_OfAnAnswerNeverDelivered_HappensAfterTheBound()
    {
        var (store, queue, session) = await StartAsync();
        var result = TestResults.Of(5);

        await queue.OnSearchCompletedAsync(RequestOf(session, new TaskCompletionSource().Task), result, CancellationToken.None);
        var written = queue.WhenWrittenAsync(session);
        // The write registers its bound on the fake clock asynchronously: move the clock until it has passed it.
        for (var step = 0; step < 100 && !written.IsCompleted; step++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.WhenAny(written, Task.Delay(TimeSpan.FromMilliseconds(20)));
        }

        Assert.True(written.IsCompleted, "the write still waits for a delivery that never comes");
        Assert.NotNull(await store.GetQueryAsync(session, result.QueryId, CancellationToken.None));
    }

    private async Task<(MemorySessionStore Store, SessionWriteQueue Queue, string Session)> StartAsync()
    {
        var store = new MemorySessionStore(new BrokerSessionOptions(), _time);
        var session = await store.CreateAsync(CancellationToken.None);
        return (store, new SessionWriteQueue(store, _time, NullLogger<SessionWriteQueue>.Instance), session.Id);
    }

    private static SearchRequest RequestOf(string session, Task delivered) =>
        new() { Query = TestResults.Of(0).Query, SessionId = session, Delivered = delivered };
}
