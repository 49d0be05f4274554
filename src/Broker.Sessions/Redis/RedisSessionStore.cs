using Broker.Core.Model;
using Broker.Core.Search;
using StackExchange.Redis;

namespace Broker.Sessions.Redis;

/// <summary>Sessions, history and stored results in Redis (layout in <see cref="RedisKeys"/>), shared by every broker instance.</summary>
internal sealed class RedisSessionStore(RedisConnection redis, BrokerSessionOptions options, TimeProvider time) : ISessionStore
{
    /// <summary>Records written per round trip, so each call stays far inside the Redis timeout.</summary>
    private const int WriteChunk = 500;

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
            [RedisKeys.Session(sessionId), RedisKeys.History(sessionId)], [ExpiryMs, RedisKeys.QueryPrefix(sessionId)]), cancellationToken).ConfigureAwait(false);
        if (value.IsNull) return null;
        var stored = SessionJson.Read<SessionInfo>((string)value!);
        return stored with { ExpiresAt = time.GetUtcNow() + options.Expiry };
    }

    public async Task<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (!SessionId.IsWellFormed(sessionId)) return false;
        var result = await redis.RunAsync(db => db.ScriptEvaluateAsync(RedisScripts.Delete,
            [RedisKeys.Session(sessionId), RedisKeys.History(sessionId)], [RedisKeys.QueryPrefix(sessionId)]), cancellationToken).ConfigureAwait(false);
        return (long)result == 1;
    }

    public async Task AddQueryAsync(string sessionId, SearchResult result, CancellationToken cancellationToken)
    {
        if (!SessionId.IsWellFormed(sessionId)) return;
        var summary = QuerySummary.Of(result, options.MaxStoredRecords);
        var recordsKey = RedisKeys.Records(sessionId, result.QueryId);
        var filesKey = RedisKeys.Files(sessionId, result.QueryId);
        var firstIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var start = 0; start < summary.StoredRecords; start += WriteChunk)
        {
            var chunk = result.Records.Skip(start).Take(Math.Min(WriteChunk, summary.StoredRecords - start)).ToList();
            var values = chunk.Select(r => (RedisValue)SessionJson.Write(r)).ToArray();
            var files = new List<HashEntry>(chunk.Count);
            for (var i = 0; i < chunk.Count; i++)
                if (firstIndex.TryAdd(chunk[i].FileId, start + i)) files.Add(new HashEntry(chunk[i].FileId, start + i));
            await redis.RunAsync(async db =>
            {
                var batch = db.CreateBatch();
                var writes = new List<Task>
                {
                    batch.ListRightPushAsync(recordsKey, values), batch.KeyExpireAsync(recordsKey, options.Expiry),
                };
                if (files.Count > 0)
                {
                    writes.Add(batch.HashSetAsync(filesKey, files.ToArray()));
                    writes.Add(batch.KeyExpireAsync(filesKey, options.Expiry));
                }
                batch.Execute();
                await Task.WhenAll(writes).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        var added = await redis.RunAsync(db => db.ScriptEvaluateAsync(RedisScripts.AddQuery,
            [RedisKeys.Session(sessionId), RedisKeys.History(sessionId)],
            [ExpiryMs, options.MaxStoredQueries, SessionJson.Write(summary), RedisKeys.QueryPrefix(sessionId)]), cancellationToken).ConfigureAwait(false);
        if ((long)added == 0)
            await redis.RunAsync(db => db.KeyDeleteAsync([recordsKey, filesKey]), cancellationToken).ConfigureAwait(false);
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
        var query = await GetQueryAsync(sessionId, queryId, cancellationToken).ConfigureAwait(false);
        if (query is null) return null;
        if (offset >= query.StoredRecords || limit <= 0) return new RecordPage(queryId, offset, limit, query.StoredRecords, []);
        var items = await redis.RunAsync(db => db.ListRangeAsync(RedisKeys.Records(sessionId, queryId), offset, offset + limit - 1), cancellationToken)
            .ConfigureAwait(false);
        return new RecordPage(queryId, offset, limit, query.StoredRecords, items.Select(i => SessionJson.Read<DataRecord>((string)i!)).ToList());
    }

    public async Task<IReadOnlyDictionary<string, DataRecord>> FindRecordsAsync(
        string sessionId, IReadOnlyCollection<string> fileIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, DataRecord>(StringComparer.Ordinal);
        if (!SessionId.IsWellFormed(sessionId) || fileIds.Count == 0) return found;
        var args = new RedisValue[fileIds.Count + 1];
        args[0] = RedisKeys.QueryPrefix(sessionId);
        var i = 1;
        foreach (var id in fileIds) args[i++] = id;
        var result = await redis.RunAsync(db => db.ScriptEvaluateAsync(RedisScripts.FindRecords, [RedisKeys.History(sessionId)], args), cancellationToken)
            .ConfigureAwait(false);
        foreach (var item in (RedisResult[])result!)
        {
            var record = SessionJson.Read<DataRecord>((string)item!);
            found.TryAdd(record.FileId, record);
        }
        return found;
    }
}
