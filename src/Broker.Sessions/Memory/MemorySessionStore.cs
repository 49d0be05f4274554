using System.Collections.Concurrent;
using Broker.Core.Model;
using Broker.Core.Search;

namespace Broker.Sessions.Memory;

/// <summary>Sessions held in this process (the demo default): same rules as the Redis store, lost on restart.</summary>
internal sealed class MemorySessionStore(BrokerSessionOptions options, TimeProvider time) : ISessionStore, ISessionCredentialStore
{
    /// <summary>How often idle sessions are swept out (a sweep visits every session).</summary>
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, Entry> _sessions = new(StringComparer.Ordinal);
    private long _nextSweepTicks;
    private long _storedRecords;

    public Task<SessionInfo> CreateAsync(CancellationToken cancellationToken)
    {
        RemoveExpired();
        var now = time.GetUtcNow();
        var entry = new Entry(SessionId.New(), now) { LastSeen = now, ExpiresAt = now + options.IssuedLifetime };
        _sessions[entry.Id] = entry;
        if (_sessions.Count > options.MemoryMaxSessions) EvictSessions();
        return Task.FromResult(entry.Info());
    }

    public Task<SessionInfo?> TouchAsync(string sessionId, CancellationToken cancellationToken)
    {
        var entry = Live(sessionId);
        if (entry is null) return Task.FromResult<SessionInfo?>(null);
        lock (entry)
        {
            entry.LastSeen = time.GetUtcNow();
            entry.ExpiresAt = entry.LastSeen + options.Expiry;
            return Task.FromResult<SessionInfo?>(entry.Info());
        }
    }

    public Task<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken)
    {
        var live = Live(sessionId) is not null;
        if (_sessions.TryRemove(sessionId, out var removed)) Forget(removed);
        return Task.FromResult(live);
    }

    public Task AddQueryAsync(string sessionId, SearchResult result, CancellationToken cancellationToken)
    {
        var entry = Live(sessionId);
        if (entry is null) return Task.CompletedTask;
        var stored = new StoredQuery(QuerySummary.Of(result, options.MaxStoredRecords),
            PackedRecords.Of(result.Records, Math.Min(result.Records.Count, options.MaxStoredRecords)));
        long added = stored.Records.Count;
        lock (entry)
        {
            // The same contract as Redis: a query written again (a retried write) is listed once.
            if (entry.Queries.Exists(q => q.Summary.QueryId == result.QueryId)) return Task.CompletedTask;
            entry.Queries.Insert(0, stored);
            if (entry.Queries.Count > options.MaxStoredQueries)
            {
                added -= entry.Queries.Skip(options.MaxStoredQueries).Sum(q => (long)q.Records.Count);
                entry.Queries.RemoveRange(options.MaxStoredQueries, entry.Queries.Count - options.MaxStoredQueries);
            }
            entry.StoredRecords += added;
        }
        if (Interlocked.Add(ref _storedRecords, added) > options.MemoryMaxStoredRecords) EvictStoredResults();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<QuerySummary>> GetHistoryAsync(string sessionId, CancellationToken cancellationToken)
    {
        var entry = Live(sessionId);
        if (entry is null) return Task.FromResult<IReadOnlyList<QuerySummary>>([]);
        lock (entry) return Task.FromResult<IReadOnlyList<QuerySummary>>(entry.Queries.Select(q => q.Summary).ToList());
    }

    public Task<QuerySummary?> GetQueryAsync(string sessionId, string queryId, CancellationToken cancellationToken) =>
        Task.FromResult(Find(sessionId, queryId)?.Summary);

    public Task<RecordPage?> GetRecordsAsync(string sessionId, string queryId, int offset, int limit, CancellationToken cancellationToken)
    {
        var query = Find(sessionId, queryId);
        if (query is null) return Task.FromResult<RecordPage?>(null);
        return Task.FromResult<RecordPage?>(new RecordPage(queryId, offset, limit, query.Records.Count, query.Records.Page(offset, limit)));
    }

    public Task<IReadOnlyDictionary<string, DataRecord>> FindRecordsAsync(
        string sessionId, IReadOnlyCollection<string> fileIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, DataRecord>(StringComparer.Ordinal);
        var entry = Live(sessionId);
        if (entry is null) return Task.FromResult<IReadOnlyDictionary<string, DataRecord>>(found);
        var wanted = fileIds.ToHashSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        lock (entry)
        {
            foreach (var query in entry.Queries) query.Records.Find(wanted, found);
        }
        return Task.FromResult<IReadOnlyDictionary<string, DataRecord>>(found);
    }

    public Task<bool> SetCredentialAsync(string sessionId, string providerId, string protectedValue, CancellationToken cancellationToken)
    {
        var entry = Live(sessionId);
        if (entry is null) return Task.FromResult(false);
        lock (entry) entry.Credentials[providerId] = protectedValue;
        return Task.FromResult(true);
    }

    public Task<bool> RemoveCredentialAsync(string sessionId, string providerId, CancellationToken cancellationToken)
    {
        var entry = Live(sessionId);
        if (entry is null) return Task.FromResult(false);
        lock (entry) return Task.FromResult(entry.Credentials.Remove(providerId));
    }

    public Task<IReadOnlyDictionary<string, string>> GetCredentialsAsync(string sessionId, CancellationToken cancellationToken)
    {
        var entry = Live(sessionId);
        if (entry is null) return Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());
        lock (entry) return Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>(entry.Credentials, StringComparer.Ordinal));
    }

    private StoredQuery? Find(string sessionId, string queryId)
    {
        var entry = Live(sessionId);
        if (entry is null) return null;
        lock (entry) return entry.Queries.FirstOrDefault(q => q.Summary.QueryId == queryId);
    }

    private Entry? Live(string sessionId)
    {
        if (!_sessions.TryGetValue(sessionId, out var entry)) return null;
        lock (entry)
        {
            if (time.GetUtcNow() < entry.ExpiresAt) return entry;
        }
        if (_sessions.TryRemove(new KeyValuePair<string, Entry>(sessionId, entry))) Forget(entry);
        return null;
    }

    /// <summary>Too many sessions (callers without cookies get one per request): the least recently seen tenth goes.</summary>
    private void EvictSessions()
    {
        var excess = _sessions.Count - options.MemoryMaxSessions * 9 / 10;
        foreach (var entry in Oldest().Take(excess))
            if (_sessions.TryRemove(new KeyValuePair<string, Entry>(entry.Id, entry))) Forget(entry);
    }

    /// <summary>Stored results over the memory budget: the least recently seen sessions lose theirs first (the sessions stay).</summary>
    private void EvictStoredResults()
    {
        var target = options.MemoryMaxStoredRecords * 9 / 10;
        foreach (var entry in Oldest())
        {
            if (Interlocked.Read(ref _storedRecords) <= target) return;
            Forget(entry);
        }
    }

    private IEnumerable<Entry> Oldest() => _sessions.Values.OrderBy(e => { lock (e) return e.LastSeen; }).ToList();

    private void Forget(Entry entry)
    {
        long released;
        lock (entry)
        {
            released = entry.StoredRecords;
            entry.StoredRecords = 0;
            entry.Queries.Clear();
        }
        Interlocked.Add(ref _storedRecords, -released);
    }

    /// <summary>
    /// Drops idle sessions, so a long-running demo does not grow without bound; at most once per
    /// <see cref="SweepInterval"/>, because callers without cookies get a new session on every request and a sweep
    /// per creation made each request cost a visit of every session.
    /// </summary>
    private void RemoveExpired()
    {
        var now = time.GetUtcNow().UtcTicks;
        var next = Interlocked.Read(ref _nextSweepTicks);
        if (now < next || Interlocked.CompareExchange(ref _nextSweepTicks, now + SweepInterval.Ticks, next) != next) return;
        foreach (var id in _sessions.Keys) _ = Live(id);
    }

    private sealed record StoredQuery(QuerySummary Summary, PackedRecords Records);

    private sealed class Entry(string id, DateTimeOffset createdAt)
    {
        public string Id { get; } = id;
        public DateTimeOffset LastSeen { get; set; }
        public DateTimeOffset ExpiresAt { get; set; }
        public List<StoredQuery> Queries { get; } = [];
        public long StoredRecords { get; set; }
        /// <summary>Protected credentials by provider id: they go with the session, not with its stored results.</summary>
        public Dictionary<string, string> Credentials { get; } = new(StringComparer.Ordinal);
        public SessionInfo Info() => new(Id, createdAt, ExpiresAt);
    }
}
