using Broker.Core.Model;
using Broker.Core.Search;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Broker.Sessions;

/// <summary>
/// The session store as the rest of the broker sees it: reads and deletes of a session first wait for that
/// session's queued search writes (<see cref="SessionWriteQueue"/>) on this instance and, with a shared store, for
/// the writes other instances marked pending (<see cref="IPendingSessionWrites"/>), so history, paging and GetData
/// routing always include the search the caller just ran, wherever it ran.
/// </summary>
internal sealed class QueuedSessionStore(ISessionStore inner, SessionWriteQueue queue, TimeProvider time, IPendingSessionWrites? pending = null)
    : ISessionStore
{
    /// <summary>Longest a read waits for the session's queued writes: while the store is down, reads still fail fast.</summary>
    private static readonly TimeSpan ReadWaitBound = TimeSpan.FromSeconds(2);
    /// <summary>Longest a read waits for another instance's pending writes (a write normally takes milliseconds).</summary>
    private static readonly TimeSpan PendingWaitBound = TimeSpan.FromSeconds(5);

    public Task<SessionInfo> CreateAsync(CancellationToken cancellationToken) => inner.CreateAsync(cancellationToken);

    public Task<SessionInfo?> TouchAsync(string sessionId, CancellationToken cancellationToken) => inner.TouchAsync(sessionId, cancellationToken);

    public async Task<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken)
    {
        await Written(sessionId, cancellationToken).ConfigureAwait(false);
        return await inner.DeleteAsync(sessionId, cancellationToken).ConfigureAwait(false);
    }

    public async Task AddQueryAsync(string sessionId, SearchResult result, CancellationToken cancellationToken)
    {
        await Written(sessionId, cancellationToken).ConfigureAwait(false);
        await inner.AddQueryAsync(sessionId, result, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<QuerySummary>> GetHistoryAsync(string sessionId, CancellationToken cancellationToken)
    {
        await Written(sessionId, cancellationToken).ConfigureAwait(false);
        return await inner.GetHistoryAsync(sessionId, cancellationToken).ConfigureAwait(false);
    }

    public Task<QuerySummary?> GetQueryAsync(string sessionId, string queryId, CancellationToken cancellationToken) =>
        ReadQueryAsync(sessionId, ct => inner.GetQueryAsync(sessionId, queryId, ct), cancellationToken);

    public Task<RecordPage?> GetRecordsAsync(string sessionId, string queryId, int offset, int limit, CancellationToken cancellationToken) =>
        ReadQueryAsync(sessionId, ct => inner.GetRecordsAsync(sessionId, queryId, offset, limit, ct), cancellationToken);

    /// <summary>
    /// A read of one query: found at once in the common case (no extra round trip); not found while a write of the
    /// session is pending anywhere, it is read again once the pending writes are done.
    /// </summary>
    private async Task<T?> ReadQueryAsync<T>(string sessionId, Func<CancellationToken, Task<T?>> read, CancellationToken cancellationToken) where T : class
    {
        await WrittenHere(sessionId, cancellationToken).ConfigureAwait(false);
        var found = await read(cancellationToken).ConfigureAwait(false);
        if (found is not null || pending is null) return found;
        return await PendingElsewhere(sessionId, cancellationToken).ConfigureAwait(false) ? await read(cancellationToken).ConfigureAwait(false) : null;
    }

    public async Task<IReadOnlyDictionary<string, DataRecord>> FindRecordsAsync(
        string sessionId, IReadOnlyCollection<string> fileIds, CancellationToken cancellationToken)
    {
        await Written(sessionId, cancellationToken).ConfigureAwait(false);
        return await inner.FindRecordsAsync(sessionId, fileIds, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>This instance's queued writes of the session, then any marked pending elsewhere.</summary>
    private async Task Written(string sessionId, CancellationToken cancellationToken)
    {
        await WrittenHere(sessionId, cancellationToken).ConfigureAwait(false);
        if (pending is not null) await PendingElsewhere(sessionId, cancellationToken).ConfigureAwait(false);
    }

    private async Task WrittenHere(string sessionId, CancellationToken cancellationToken)
    {
        try
        {
            await queue.WhenWrittenAsync(sessionId).WaitAsync(ReadWaitBound, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // the store is slow or down: the read goes on and answers (or fails fast) as the store does
        }
    }

    /// <summary>Waits while writes of the session are marked pending (by any instance), at most <see cref="PendingWaitBound"/>; true when there were some.</summary>
    private async Task<bool> PendingElsewhere(string sessionId, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var waited = false;
        for (var pause = TimeSpan.FromMilliseconds(10); ; pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.TicksPerMillisecond * 200)))
        {
            try
            {
                if (!await pending!.AnyAsync(sessionId, cancellationToken).ConfigureAwait(false)) return waited;
            }
            catch (SessionStoreUnavailableException)
            {
                return waited; // the read itself will answer as the store does
            }
            if (time.GetElapsedTime(started) >= PendingWaitBound) return waited;
            waited = true;
            await Task.Delay(pause, time, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>Registration of the write queue in front of whichever session store was registered.</summary>
internal static class QueuedSessionWrites
{
    /// <summary>
    /// Moves the registered <see cref="ISessionStore"/> behind a <see cref="QueuedSessionStore"/> and adds the
    /// <see cref="SessionWriteQueue"/> as the search listener that stores sessions' searches.
    /// </summary>
    public static IServiceCollection AddQueuedSessionWrites(this IServiceCollection services)
    {
        var registered = services.Last(d => d.ServiceType == typeof(ISessionStore));
        services.Remove(registered);
        services.AddSingleton(sp => new StoreBehindQueue(registered switch
        {
            { ImplementationInstance: ISessionStore instance } => instance,
            { ImplementationFactory: { } factory } => (ISessionStore)factory(sp),
            _ => (ISessionStore)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!),
        }));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<SessionWriteQueue>(sp, sp.GetRequiredService<StoreBehindQueue>().Store));
        services.AddSingleton<Core.Services.ISearchListener>(sp => sp.GetRequiredService<SessionWriteQueue>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<SessionWriteQueue>());
        services.AddSingleton<ISessionStore>(sp =>
            new QueuedSessionStore(sp.GetRequiredService<StoreBehindQueue>().Store, sp.GetRequiredService<SessionWriteQueue>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetService<IPendingSessionWrites>()));
        return services;
    }

    private sealed record StoreBehindQueue(ISessionStore Store);
}
