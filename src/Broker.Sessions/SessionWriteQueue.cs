using Broker.Core.Search;
using Broker.Core.Services;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Broker.Sessions;

/// <summary>
/// Stores every finished search of a session (history and records) off the request path, once its answer was
/// delivered (<see cref="SearchRequest.Delivered"/>, at most <see cref="DeliveryWaitBound"/> later): at most
/// <see cref="Writers"/> at a time, a session's writes in order, retrying a briefly unavailable store. The search
/// waits only for a pending mark in the shared store (one round trip, <see cref="IPendingSessionWrites"/>), so a read
/// of the session on any instance waits for the write instead of missing the query; on this instance reads wait for
/// the queued writes themselves (see <see cref="QueuedSessionStore"/>). A store outage costs the history, never the
/// search; a full queue drops (counted and logged) like the query log.
/// </summary>
internal sealed partial class SessionWriteQueue(ISessionStore store, TimeProvider time, ILogger<SessionWriteQueue> logger,
    IPendingSessionWrites? pending = null) : ISearchListener, IHostedService
{
    /// <summary>Writes running at once (each a few store round trips).</summary>
    public const int Writers = 4;
    /// <summary>Searches waiting to be stored before new ones are dropped.</summary>
    public const int Capacity = 10_000;
    private static readonly TimeSpan WriteBudget = TimeSpan.FromSeconds(10), FinalFlushBudget = TimeSpan.FromSeconds(3);
    /// <summary>
    /// Longest a write waits for its answer to be delivered (<see cref="SearchRequest.Delivered"/>): well within the
    /// two seconds a read of the session waits for the session's writes (<see cref="QueuedSessionStore"/>).
    /// </summary>
    private static readonly TimeSpan DeliveryWaitBound = TimeSpan.FromSeconds(1);
    /// <summary>A pending mark outlives the write's budget a little, and lapses by itself if this instance dies.</summary>
    private static readonly TimeSpan MarkLifetime = WriteBudget + TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, Task> _tails = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _writers = new(Writers);
    private long _queued, _dropped;

    /// <summary>Searches queued or being written.</summary>
    public long Queued => Interlocked.Read(ref _queued);
    /// <summary>Searches not stored because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public async ValueTask OnSearchCompletedAsync(SearchRequest request, SearchResult result, CancellationToken cancellationToken)
    {
        if (request.SessionId is not { } sessionId) return;
        var marked = await MarkAsync(request, sessionId, result.QueryId, cancellationToken).ConfigureAwait(false);
        Enqueue(sessionId, result, marked, request.Delivered);
    }

    /// <summary>The pending mark, before the caller has the answer; a store that cannot take it costs nothing more (the write retries).</summary>
    private async Task<bool> MarkAsync(SearchRequest request, string sessionId, string queryId, CancellationToken cancellationToken)
    {
        if (pending is null) return false;
        try
        {
            await pending.MarkAsync(sessionId, queryId, MarkLifetime, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SessionStoreUnavailableException)
        {
            // A store that cannot take the mark (down, out of memory, read-only) will hardly take the write: say so now.
            request.SessionStoreUnavailable?.Invoke();
            return false;
        }
    }

    private void Enqueue(string sessionId, SearchResult result, bool marked, Task? delivered)
    {
        if (Interlocked.Increment(ref _queued) > Capacity)
        {
            Interlocked.Decrement(ref _queued);
            var dropped = Interlocked.Increment(ref _dropped);
            if (dropped == 1 || dropped % 1000 == 0) LogDropped(logger, dropped);
            if (marked) _ = ClearAsync(sessionId, result.QueryId);
            return;
        }
        Task tail;
        lock (_tails)
        {
            tail = WriteAfterAsync(_tails.GetValueOrDefault(sessionId), sessionId, result, marked, delivered);
            _tails[sessionId] = tail;
            _ = tail.ContinueWith(done =>
            {
                lock (_tails) if (_tails.TryGetValue(sessionId, out var current) && current == done) _tails.Remove(sessionId);
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>Completes when every search of the session queued so far is stored (or given up); never faults.</summary>
    public Task WhenWrittenAsync(string sessionId)
    {
        lock (_tails) return _tails.GetValueOrDefault(sessionId) ?? Task.CompletedTask;
    }

    private async Task WriteAfterAsync(Task? previous, string sessionId, SearchResult result, bool marked, Task? delivered)
    {
        await Task.Yield(); // the caller's request goes on now
        await AfterDeliveryAsync(delivered).ConfigureAwait(false);
        if (previous is not null) await previous.ConfigureAwait(false);
        await _writers.WaitAsync().ConfigureAwait(false);
        try
        {
            // A store that is briefly unavailable (failover, pause) is tried again within the budget: the caller
            // was already answered and expects to find this search in its history.
            using var budget = new CancellationTokenSource(WriteBudget, time);
            for (var backoff = TimeSpan.FromMilliseconds(250); ; backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.TicksPerSecond * 2)))
            {
                try
                {
                    await store.AddQueryAsync(sessionId, result, budget.Token).ConfigureAwait(false);
                    break;
                }
                catch (SessionStoreUnavailableException) when (!budget.IsCancellationRequested)
                {
                    await Task.Delay(backoff, time, budget.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex)
        {
            LogNotStored(logger, result.QueryId, ex.Message);
        }
        finally
        {
            _writers.Release();
            Interlocked.Decrement(ref _queued);
        }
        if (marked) await ClearAsync(sessionId, result.QueryId).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits (at most <see cref="DeliveryWaitBound"/>) until the caller has the answer: storing a large result (the
    /// in-memory store packs its records) beside the answer's writing made the answer later (scripts/bench.sh fanout).
    /// </summary>
    private async Task AfterDeliveryAsync(Task? delivered)
    {
        if (delivered is null || delivered.IsCompleted) return;
        try
        {
            await delivered.WaitAsync(DeliveryWaitBound, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // a slow reader of a large answer: its session is stored now
        }
    }

    /// <summary>Removes the pending mark; if that fails, the mark lapses by itself.</summary>
    private async Task ClearAsync(string sessionId, string queryId)
    {
        try
        {
            using var budget = new CancellationTokenSource(WriteBudget, time);
            await pending!.ClearAsync(sessionId, queryId, budget.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SessionStoreUnavailableException or OperationCanceledException)
        {
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>On shutdown, queued writes get a short budget to finish.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task[] pending;
        lock (_tails) pending = _tails.Values.ToArray();
        try
        {
            await Task.WhenAll(pending).WaitAsync(FinalFlushBudget, time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            LogUnflushed(logger, Queued);
        }
    }

    [LoggerMessage(EventId = 3020, Level = LogLevel.Warning, Message = "Query {QueryId} not stored in its session: {Problem}")]
    private static partial void LogNotStored(ILogger logger, string queryId, string problem);

    [LoggerMessage(EventId = 3022, Level = LogLevel.Warning, Message = "Session write queue full: {Dropped} searches not stored so far")]
    private static partial void LogDropped(ILogger logger, long dropped);

    [LoggerMessage(EventId = 3023, Level = LogLevel.Warning, Message = "Stopping with {Queued} session writes unfinished")]
    private static partial void LogUnflushed(ILogger logger, long queued);
}
