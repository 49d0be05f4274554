using Broker.Core.Model;
using Broker.Core.Search;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Broker.Sessions;

/// <summary>
/// The session store as the rest of the broker sees it: reads and deletes of a session first wait for that
/// session's queued search writes (<see cref="SessionWriteQueue"/>), so history, paging and GetData routing always
/// include the search the caller just ran.
/// </summary>
internal sealed class QueuedSessionStore(ISessionStore inner, SessionWriteQueue queue, TimeProvider time) : ISessionStore
{
    /// <summary>Longest a read waits for the session's queued writes: while the store is down, reads still fail fast.</summary>
    private static readonly TimeSpan ReadWaitBound = TimeSpan.FromSeconds(2);

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

    public async Task<QuerySummary?> GetQueryAsync(string sessionId, string queryId, CancellationToken cancellationToken)
    {
        await Written(sessionId, cancellationToken).ConfigureAwait(false);
        return await inner.GetQueryAsync(sessionId, queryId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<RecordPage?> GetRecordsAsync(string sessionId, string queryId, int offset, int limit, CancellationToken cancellationToken)
    {
        await Written(sessionId, cancellationToken).ConfigureAwait(false);
        return await inner.GetRecordsAsync(sessionId, queryId, offset, limit, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyDictionary<string, DataRecord>> FindRecordsAsync(
        string sessionId, IReadOnlyCollection<string> fileIds, CancellationToken cancellationToken)
    {
        await Written(sessionId, cancellationToken).ConfigureAwait(false);
        return await inner.FindRecordsAsync(sessionId, fileIds, cancellationToken).ConfigureAwait(false);
    }

    private async Task Written(string sessionId, CancellationToken cancellationToken)
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
                sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    private sealed record StoreBehindQueue(ISessionStore Store);
}
