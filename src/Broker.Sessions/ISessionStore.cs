using Broker.Core.Model;
using Broker.Core.Search;

namespace Broker.Sessions;

/// <summary>
/// Sessions and what they stored: history and recent results. Redis when configured, memory otherwise. Every
/// method of the Redis store fails fast with <see cref="SessionStoreUnavailableException"/> when Redis is down or slow.
/// </summary>
public interface ISessionStore
{
    /// <summary>Starts a new session with a fresh id.</summary>
    Task<SessionInfo> CreateAsync(CancellationToken cancellationToken);

    /// <summary>Returns the live session and slides its expiry; null when unknown or expired (never adopted).</summary>
    Task<SessionInfo?> TouchAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Ends a session and drops what it stored; false when it did not exist.</summary>
    Task<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Adds a finished search to the session's history (dropping the oldest beyond the maximum); a no-op for an unknown session.</summary>
    Task AddQueryAsync(string sessionId, SearchResult result, CancellationToken cancellationToken);

    /// <summary>The session's queries, newest first.</summary>
    Task<IReadOnlyList<QuerySummary>> GetHistoryAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>One query of the session; null when the session never ran it (or it was dropped).</summary>
    Task<QuerySummary?> GetQueryAsync(string sessionId, string queryId, CancellationToken cancellationToken);

    /// <summary>A page of a stored result; null when the session has no such query.</summary>
    Task<RecordPage?> GetRecordsAsync(string sessionId, string queryId, int offset, int limit, CancellationToken cancellationToken);

    /// <summary>The stored records with these file ids, newest query first (ids the session never saw are absent).</summary>
    Task<IReadOnlyDictionary<string, DataRecord>> FindRecordsAsync(string sessionId, IReadOnlyCollection<string> fileIds, CancellationToken cancellationToken);
}

/// <summary>The session store could not be reached in time; the request goes on session-less.</summary>
public sealed class SessionStoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
