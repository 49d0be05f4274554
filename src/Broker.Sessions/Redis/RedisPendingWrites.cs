using StackExchange.Redis;

namespace Broker.Sessions.Redis;

/// <summary>
/// Pending marks as a sorted set <c>broker:session:{sid}:pending</c> (query id → deadline in Unix ms), in the session's
/// slot; a lapsed entry is ignored and removed by the next reader, and the key expires with the last mark.
/// </summary>
internal sealed class RedisPendingWrites(RedisConnection redis, TimeProvider time) : IPendingSessionWrites
{
    public Task MarkAsync(string sessionId, string queryId, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        if (!SessionId.IsWellFormed(sessionId)) return Task.CompletedTask;
        var key = RedisKeys.Pending(sessionId);
        var deadline = time.GetUtcNow().Add(lifetime).ToUnixTimeMilliseconds();
        return redis.RunAsync(async db =>
        {
            var tx = db.CreateTransaction();
            _ = tx.SortedSetAddAsync(key, queryId, deadline);
            _ = tx.KeyExpireAsync(key, lifetime);
            await tx.ExecuteAsync().ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task ClearAsync(string sessionId, string queryId, CancellationToken cancellationToken) =>
        SessionId.IsWellFormed(sessionId)
            ? redis.RunAsync(db => db.SortedSetRemoveAsync(RedisKeys.Pending(sessionId), queryId), cancellationToken)
            : Task.CompletedTask;

    public Task<bool> AnyAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (!SessionId.IsWellFormed(sessionId)) return Task.FromResult(false);
        var key = RedisKeys.Pending(sessionId);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return redis.RunAsync(async db =>
        {
            var tx = db.CreateTransaction();
            _ = tx.SortedSetRemoveRangeByScoreAsync(key, double.NegativeInfinity, now);
            var live = tx.SortedSetLengthAsync(key);
            await tx.ExecuteAsync().ConfigureAwait(false);
            return await live.ConfigureAwait(false) > 0;
        }, cancellationToken);
    }
}
