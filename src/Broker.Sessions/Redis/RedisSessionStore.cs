using Broker.Core.Model;
using Broker.Core.Search;
using StackExchange.Redis;

namespace Broker.Sessions.Redis;

/// <summary>
/// Sessions, history and stored results in Redis (layout in <see cref="RedisKeys"/>), shared by every broker instance.
/// A query's records are stored once per distinct content and shared by every query that found them, reachable only
/// through a session's own reference; queries stored per session by older brokers are still read, slid and deleted.
/// </summary>
internal sealed class RedisSessionStore(RedisConnection redis, BrokerSessionOptions options, TimeProvider time) : ISessionStore
{
    /// <summary>Records written per round trip, so each call stays far inside the Redis timeout.</summary>
    private const int WriteChunk = 500;

    /// <summary>How long a shared result being written may take before its half-written keys expire (the writer died).</summary>
    private static readonly TimeSpan NewResultLifetime = TimeSpan.FromMinutes(5);

    private long ExpiryMs => (long)options.Expiry.TotalMilliseconds;

    public async Task<SessionInfo> CreateAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var session = new SessionInfo(SessionId.New(), now, now + options.Expiry);
        var created = await redis.RunAsync(db => db.StringSetAsync(RedisKeys.Session(session.Id), SessionJson.Write(session), options.Expiry, When.NotExists),
            cancellationToken).ConfigureAwait(false);
        // 128 random bits do not collide; if they ever did, refusing beats sharing someone's session.
        return created ? session : throw new InvalidOperationException("session id collision");
    }

    public async Task<SessionInfo?> TouchAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (!SessionId.IsWellFormed(sessionId)) return null;
        var value = await redis.RunAsync(db => db.ScriptEvaluateAsync(RedisScripts.Touch,
            [RedisKeys.Session(sessionId), RedisKeys.History(sessionId), RedisKeys.Results(sessionId)],
            [ExpiryMs, RedisKeys.QueryPrefix(sessionId), RedisKeys.ResultPrefix, RedisKeys.ResultFilesPrefix]), cancellationToken).ConfigureAwait(false);
        if (value.IsNull) return null;
        var stored = SessionJson.Read<SessionInfo>((string)value!);
        return stored with { ExpiresAt = time.GetUtcNow() + options.Expiry };
    }

    public async Task<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (!SessionId.IsWellFormed(sessionId)) return false;
        var result = await redis.RunAsync(db => db.ScriptEvaluateAsync(RedisScripts.Delete,
            [RedisKeys.Session(sessionId), RedisKeys.History(sessionId), RedisKeys.Results(sessionId)], [RedisKeys.QueryPrefix(sessionId)]),
            cancellationToken).ConfigureAwait(false);
        return (long)result == 1;
    }

    /// <summary>
    /// Adds the query with a reference to its records' shared copy (<see cref="RedisKeys.Result"/>), which is written only
    /// when no query of any session refers to byte-for-byte the same records yet: a repeated search costs one round trip
    /// carrying its summary, not its records.
    /// </summary>
    public async Task AddQueryAsync(string sessionId, SearchResult result, CancellationToken cancellationToken)
    {
        if (!SessionId.IsWellFormed(sessionId)) return;
        var summary = QuerySummary.Of(result, options.MaxStoredRecords);
        var contentKey = summary.StoredRecords > 0 ? StoredRecords.ContentKey(result.Records, summary.StoredRecords) : "";
        var summaryJson = SessionJson.Write(summary);
        if (await LinkAsync(sessionId, result.QueryId, contentKey, summaryJson, writeId: null, cancellationToken).ConfigureAwait(false) != LinkOutcome.Missing)
            return;
        var writeId = SessionId.New();
        await WriteResultAsync(result.Records, summary.StoredRecords, writeId, cancellationToken).ConfigureAwait(false);
        if (await LinkAsync(sessionId, result.QueryId, contentKey, summaryJson, writeId, cancellationToken).ConfigureAwait(false) == LinkOutcome.Missing)
            throw new SessionStoreUnavailableException("Redis: the stored records vanished before the query could refer to them");
    }

    private enum LinkOutcome { SessionGone = 0, Added = 1, Missing = 2 }

    private async Task<LinkOutcome> LinkAsync(
        string sessionId, string queryId, string contentKey, string summaryJson, string? writeId, CancellationToken cancellationToken)
    {
        RedisKey[] keys = writeId is null
            ? [RedisKeys.Session(sessionId), RedisKeys.History(sessionId), RedisKeys.Results(sessionId), RedisKeys.Result(contentKey), RedisKeys.ResultFiles(contentKey)]
            : [RedisKeys.Session(sessionId), RedisKeys.History(sessionId), RedisKeys.Results(sessionId), RedisKeys.Result(contentKey), RedisKeys.ResultFiles(contentKey),
                RedisKeys.NewResult(writeId), RedisKeys.NewResultFiles(writeId)];
        RedisValue[] args = [ExpiryMs, options.MaxStoredQueries, summaryJson, RedisKeys.QueryPrefix(sessionId), queryId, contentKey];
        var outcome = await redis.RunAsync(db => db.ScriptEvaluateAsync(RedisScripts.AddQuery, keys, args), cancellationToken).ConfigureAwait(false);
        return (LinkOutcome)(long)outcome;
    }

    /// <summary>
    /// Writes the records and their file-id index under fresh names (the script moves them into place), so a reader
    /// never sees a half-written shared result and two instances storing the same one at once never interleave.
    /// </summary>
    private async Task WriteResultAsync(IReadOnlyList<DataRecord> records, int count, string writeId, CancellationToken cancellationToken)
    {
        var recordsKey = RedisKeys.NewResult(writeId);
        var filesKey = RedisKeys.NewResultFiles(writeId);
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
        if (offset >= query.StoredRecords || limit <= 0 || contentKey is { Length: 0 }) return new RecordPage(queryId, offset, limit, query.StoredRecords, []);
        // No content key: a query stored by a broker from before shared results, in its own per-query list.
        var recordsKey = contentKey is null ? RedisKeys.LegacyRecords(sessionId, queryId) : RedisKeys.Result(contentKey);
        var items = await redis.RunAsync(db => db.ListRangeAsync(recordsKey, offset, offset + limit - 1), cancellationToken).ConfigureAwait(false);
        return new RecordPage(queryId, offset, limit, query.StoredRecords, items.Select(i => SessionJson.Read<DataRecord>((string)i!)).ToList());
    }

    public async Task<IReadOnlyDictionary<string, DataRecord>> FindRecordsAsync(
        string sessionId, IReadOnlyCollection<string> fileIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, DataRecord>(StringComparer.Ordinal);
        if (!SessionId.IsWellFormed(sessionId) || fileIds.Count == 0) return found;
        var args = new RedisValue[fileIds.Count + 3];
        args[0] = RedisKeys.QueryPrefix(sessionId);
        args[1] = RedisKeys.ResultPrefix;
        args[2] = RedisKeys.ResultFilesPrefix;
        var i = 3;
        foreach (var id in fileIds) args[i++] = id;
        var result = await redis.RunAsync(db => db.ScriptEvaluateAsync(RedisScripts.FindRecords,
            [RedisKeys.History(sessionId), RedisKeys.Results(sessionId)], args), cancellationToken).ConfigureAwait(false);
        foreach (var item in (RedisResult[])result!)
        {
            var record = SessionJson.Read<DataRecord>((string)item!);
            found.TryAdd(record.FileId, record);
        }
        return found;
    }
}
