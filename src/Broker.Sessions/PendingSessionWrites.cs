namespace Broker.Sessions;

/// <summary>
/// Marks, in the shared store, the searches of a session whose storing is still under way, so that a read of that
/// session on any instance (a load balancer may send the caller's next request anywhere) waits for them instead of
/// answering "no such query". Setting a mark is one round trip on the search's path; the write itself is queued.
/// </summary>
internal interface IPendingSessionWrites
{
    /// <summary>Marks the query as being stored; the mark lapses by itself after <paramref name="lifetime"/>.</summary>
    Task MarkAsync(string sessionId, string queryId, TimeSpan lifetime, CancellationToken cancellationToken);

    /// <summary>Removes the mark (stored or given up).</summary>
    Task ClearAsync(string sessionId, string queryId, CancellationToken cancellationToken);

    /// <summary>True while some search of the session is marked and its mark has not lapsed.</summary>
    Task<bool> AnyAsync(string sessionId, CancellationToken cancellationToken);
}
