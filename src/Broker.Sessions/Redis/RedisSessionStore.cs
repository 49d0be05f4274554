using Broker.Core.Model;
using Broker.Core.Search;
using StackExchange.Redis;

namespace Broker.Sessions.Redis;

/// <summary>
/// Sessions, history and stored results in Redis (layout in <see cref="RedisKeys"/>), shared by every broker instance.
/// A query's records are stored once per distinct content and shared by every query that found them, reachable only
/// through a session's own reference. A session's keys and a shared result's keys are in different slots, so each
/// operation runs one script per slot (never one script across both), in an order that never leaves a reference to a
/// missing result.
/// </summary>
internal sealed class RedisSessionStore(RedisConnection redis, BrokerSessionOptions options, TimeProvider time) : ISessionStore, ISessionCredentialStore
{
    /// <summary>Records written per round trip, so each call stays far inside the Redis timeout.</summary>
    private const int WriteChunk = 500;

    /// <summary>How long a shared result being written may take before its half-written keys expire (the writer died).</summary>
    private static readonly TimeSpan NewResultLifetime = TimeSpan.FromMinutes(5);

    private long ExpiryMs => (long)options.Expiry.TotalMilliseconds;

    public async Task<SessionInfo> CreateAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Unused, it lives only FirstUseExpiry; its second use (Touch) gives it the sliding Expiry.
        var firstUse = options.IssuedLifetime;
        var session = new SessionInfo(SessionId.New(), now, now + firstUse);
        var created = await redis.RunAsync(db => db.StringSetAsync(RedisKeys.Session(session.Id), SessionJson.Write(session), firstUse, When.NotExists),
            cancellationToken).ConfigureAwait(false);
        // 128 random bits do not collide; if they ever did, refusing beats sharing someone's session.
        return created ? session : throw new InvalidOperationException("session id collision");
    }

    public async Task<SessionInfo?> TouchAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (!SessionId.IsWellFormed(sessionId)) return null;
        var value = await redis.RunAsync(db => db.ScriptEvaluateAsync(RedisScripts.Touch, SessionKeys(sessionId), [ExpiryMs]), cancellationToken)
            .ConfigureAwait(false);
        if (value.IsNull) return null;
        var items = (RedisResult[])value!;
        if (items.Length > 1)
            await redis.RunAsync(db => Task.WhenAll(items.Skip(1).Select(key => EnsureResultAsync(db, (string)key!, ExpiryMs))), cancellationToken)
                .ConfigureAwait(false);
        var stored = SessionJson.Read<SessionInfo>((string)items[0]!);
        return stored with { ExpiresAt = time.GetUtcNow() + options.Expiry };
    }

    public async Task<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (!SessionId.IsWellFormed(sessionId)) return false;
        var result = await redis.RunAsync(db => db.ScriptEvaluateAsync(RedisScripts.Delete, SessionKeys(sessionId)), cancellationToken).ConfigureAwait(false);
        return (long)result == 1;
    }

    /// <summary>
    /// Adds the query with a reference to its records' shared copy (<see cref="RedisKeys.Result"/>), which is written only
    /// when no query of any session refers to byte-for-byte the same records yet: a repeated search moves its summary,
    /// not its records. The shared copy lives at least as long as the session that stores it.
    /// </summary>
    public async Task AddQueryAsync(string sessionId, SearchResult result, CancellationToken cancellationToken)
    {
        if (!SessionId.IsWellFormed(sessionId)) return;
        var summary = QuerySummary.Of(result, options.MaxStoredRecords);
        var contentKey = summary.StoredRecords > 0 ? StoredRecords.ContentKey(result.Records, summary.StoredRecords) : "";
        if (contentKey.Length > 0)
        {
            var sessionTtl = await redis.RunAsync(db => db.KeyTimeToLiveAsync(RedisKeys.Session(sessionId)), cancellationToken).ConfigureAwait(false);
            if (sessionTtl is not { } ttl || ttl <= TimeSpan.Zero) return; // the session is gone: store nothing
            var ttlMs = (long)Math.Ceiling(ttl.TotalMilliseconds);
            if (!await redis.RunAsync(db => EnsureResultAsync(db, contentKey, ttlMs), cancellationToken).ConfigureAwait(false))
            {
                var writeId = SessionId.New();
                await WriteResultAsync(result.Records, summary.StoredRecords, contentKey, writeId, cancellationToken).ConfigureAwait(false);
                if (!await redis.RunAsync(db => EnsureResultAsync(db, contentKey, ttlMs, writeId), cancellationToken).ConfigureAwait(false))
                    throw new SessionStoreUnavailableException("Redis: the stored records vanished before the query could refer to them");
            }
        }
        await redis.RunAsync(db => db.ScriptEvaluateAsync(RedisScripts.AddQuery, SessionKeys(sessionId),
            [options.MaxStoredQueries, SessionJson.Write(summary), result.QueryId, contentKey]), cancellationToken).ConfigureAwait(false);
    }

    private static RedisKey[] SessionKeys(string sessionId) =>
        [RedisKeys.Session(sessionId), RedisKeys.History(sessionId), RedisKeys.Results(sessionId), RedisKeys.Credentials(sessionId)];

    public async Task<bool> SetCredentialAsync(string sessionId, string providerId, string protectedValue, CancellationToken cancellationToken)
    {
        if (!SessionId.IsWellFormed(sessionId)) return false;
        var stored = await redis.RunAsync(db => db.ScriptEvaluateAsync(RedisScripts.SetCredential,
            [RedisKeys.Session(sessionId), RedisKeys.Credentials(sessionId)], [providerId, protectedValue]), cancellationToken).ConfigureAwait(false);
        return (long)stored == 1;
    }

    public async Task<bool> RemoveCredentialAsync(string sessionId, string providerId, CancellationToken cancellationToken) =>
        SessionId.IsWellFormed(sessionId)
        && await redis.RunAsync(db => db.HashDeleteAsync(RedisKeys.Credentials(sessionId), providerId), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyDictionary<string, string>> GetCredentialsAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (!SessionId.IsWellFormed(sessionId)) return new Dictionary<string, string>();
        var entries = await redis.RunAsync(db => db.HashGetAllAsync(RedisKeys.Credentials(sessionId)), cancellationToken).ConfigureAwait(false);
        return entries.ToDictionary(e => (string)e.Name!, e => (string)e.Value!, StringComparer.Ordinal);
    }

    /// <summary>Makes the shared result live at least <paramref name="ttlMs"/> (after moving a new copy into place); false when it is missing.</summary>
    private static async Task<bool> EnsureResultAsync(IDatabaseAsync db, string contentKey, long ttlMs, string? writeId = null)
    {
        RedisKey[] keys = writeId is null
            ? [RedisKeys.Result(contentKey), RedisKeys.ResultFiles(contentKey)]
            : [RedisKeys.Result(contentKey), RedisKeys.ResultFiles(contentKey), RedisKeys.NewResult(contentKey, writeId), RedisKeys.NewResultFiles(contentKey, writeId)];
        return (long)await db.ScriptEvaluateAsync(RedisScripts.EnsureResult, keys, [ttlMs]).ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// Writes the records and their file-id index under fresh names in the result's slot (the script moves them into
    /// place), so a reader never sees a half-written shared result and two instances storing the same one at once never interleave.
    /// </summary>
    private async Task WriteResultAsync(IReadOnlyList<DataRecord> records, int count, string contentKey, string writeId, CancellationToken cancellationToken)
    {
        var recordsKey = RedisKeys.NewResult(contentKey, writeId);
        var filesKey = RedisKeys.NewResultFiles(contentKey, writeId);
        var firstIndex = new HashSet<string>(StringComparer.Ordinal);
        for (var start = 0; start < count; start += WriteChunk)
        {
            var size = Math.Min(WriteChunk, count - start);
            var values = new RedisValue[size];
            var files = new List<HashEntry>(size);
            for (var i = 0; i < size; i++)
            {
                var record = records[start + i];
                values[i] = StoredRecords.Of(record).Json;
                if (firstIndex.Add(record.FileId)) files.Add(new HashEntry(record.FileId, start + i));
            }
            await redis.RunAsync(async db =>
            {
                var batch = db.CreateBatch();
                var writes = new List<Task>
                {
                    batch.ListRightPushAsync(recordsKey, values), batch.KeyExpireAsync(recordsKey, NewResultLifetime),
                };
                if (files.Count > 0)
                {
                    writes.Add(batch.HashSetAsync(filesKey, files.ToArray()));
                    writes.Add(batch.KeyExpireAsync(filesKey, NewResultLifetime));
                }
                batch.Execute();
                await Task.WhenAll(writes).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<QuerySummary>> GetHistoryAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (!SessionId.IsWellFormed(sessionId)) return [];
        var items = await redis.RunAsync(db => db.ListRangeAsync(RedisKeys.History(sessionId), 0, -1), cancellationToken).ConfigureAwait(false);
        return items.Select(i => SessionJson.Read<QuerySummary>((string)i!)).ToList();
    }

    public async Task<QuerySummary?> GetQueryAsync(string sessionId, string queryId, CancellationToken cancellationToken) =>
        (await GetHistoryAsync(sessionId, cancellationToken).ConfigureAwait(false)).FirstOrDefault(q => q.QueryId == queryId);

    public async Task<RecordPage?> GetRecordsAsync(string sessionId, string queryId, int offset, int limit, CancellationToken cancellationToken)
    {
        if (!SessionId.IsWellFormed(sessionId)) return null;
        var (history, contentKey) = await redis.RunAsync(async db =>
        {
            var batch = db.CreateBatch();
            var items = batch.ListRangeAsync(RedisKeys.History(sessionId), 0, -1);
            var reference = batch.HashGetAsync(RedisKeys.Results(sessionId), queryId);
            batch.Execute();
            return (await items.ConfigureAwait(false), (string?)await reference.ConfigureAwait(false));
        }, cancellationToken).ConfigureAwait(false);
        var query = history.Select(i => SessionJson.Read<QuerySummary>((string)i!)).FirstOrDefault(q => q.QueryId == queryId);
        if (query is null) return null;
        if (offset >= query.StoredRecords || limit <= 0 || string.IsNullOrEmpty(contentKey)) return new RecordPage(queryId, offset, limit, query.StoredRecords, []);
        var items = await redis.RunAsync(db => db.ListRangeAsync(RedisKeys.Result(contentKey), offset, offset + limit - 1), cancellationToken).ConfigureAwait(false);
        return new RecordPage(queryId, offset, limit, query.StoredRecords, items.Select(i => SessionJson.Read<DataRecord>((string)i!)).ToList());
    }

    /// <summary>Looks through the session's shared results newest first, asking each only for the ids not found yet.</summary>
    public async Task<IReadOnlyDictionary<string, DataRecord>> FindRecordsAsync(
        string sessionId, IReadOnlyCollection<string> fileIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, DataRecord>(StringComparer.Ordinal);
        if (!SessionId.IsWellFormed(sessionId) || fileIds.Count == 0) return found;
        var contentKeys = (RedisResult[])(await redis.RunAsync(db => db.ScriptEvaluateAsync(RedisScripts.ResultKeys,
            [RedisKeys.History(sessionId), RedisKeys.Results(sessionId)]), cancellationToken).ConfigureAwait(false))!;
        var wanted = fileIds.Distinct(StringComparer.Ordinal).ToList();
        foreach (var contentKey in contentKeys.Select(k => (string)k!))
        {
            var args = wanted.Select(id => (RedisValue)id).ToArray();
            var pairs = (RedisResult[])(await redis.RunAsync(db => db.ScriptEvaluateAsync(RedisScripts.FindInResult,
                [RedisKeys.Result(contentKey), RedisKeys.ResultFiles(contentKey)], args), cancellationToken).ConfigureAwait(false))!;
            for (var i = 0; i + 1 < pairs.Length; i += 2) found.TryAdd((string)pairs[i]!, SessionJson.Read<DataRecord>((string)pairs[i + 1]!));
            wanted.RemoveAll(found.ContainsKey);
            if (wanted.Count == 0) break;
        }
        return found;
    }
}
