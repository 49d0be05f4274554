using Broker.Core.Providers;
using Broker.Core.Search;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Broker.Sessions.Redis;

/// <summary>
/// The result cache shared by every broker instance. A miss takes a short lock (SET NX PX) so that, across
/// instances, one asks the provider while the others wait for its answer to appear (coalescing); a waiter gives
/// up and asks the provider itself when the lock ends without an answer (the owner failed). Redis trouble never
/// slows a search: every call is bounded by the Redis timeout and a broken Redis reads as a miss.
/// Each stored value starts with a random 32-hex-digit version; an instance keeps the answers it read or wrote in
/// memory (<see cref="AnswerMemo"/>) and, on a hit, reads only that version (GETRANGE 0 31) to know its copy is still
/// the shared one, instead of moving and parsing a large answer on every search.
/// </summary>
internal sealed partial class RedisAnswerCache(
    RedisConnection redis, BrokerSessionOptions options, TimeProvider time, ILogger<RedisAnswerCache> logger) : IAnswerCache
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private readonly AnswerMemo _memo = new(options.MemoryCacheEntries, time);

    public async ValueTask<ProviderAnswer?> GetAsync(string providerId, string blockKey, CancellationToken cancellationToken)
    {
        try
        {
            var key = RedisKeys.Answer(providerId, blockKey);
            if (await ReadAsync(key, cancellationToken).ConfigureAwait(false) is { } cached) return cached;
            if (!options.CoalesceAcrossInstances) return null;
            var lockKey = RedisKeys.AnswerLock(providerId, blockKey);
            var owner = await redis.RunAsync(async db =>
            {
                if (await db.StringSetAsync(lockKey, redis.InstanceId, options.CoalesceLockTime, When.NotExists).ConfigureAwait(false)) return redis.InstanceId;
                return (string?)await db.StringGetAsync(lockKey).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            // Our lock (this call's or a concurrent one in this process, which the engine coalesces itself): go ask.
            if (owner is null || owner == redis.InstanceId) return null;
            LogWaiting(logger, providerId, owner);
            return await WaitForOwnerAsync(key, lockKey, cancellationToken).ConfigureAwait(false);
        }
        catch (SessionStoreUnavailableException ex)
        {
            LogUnavailable(logger, providerId, ex.Message);
            return null;
        }
    }

    public async ValueTask SetAsync(string providerId, string blockKey, ProviderAnswer answer, TimeSpan ttl, CancellationToken cancellationToken)
    {
        try
        {
            var key = RedisKeys.Answer(providerId, blockKey);
            var lockKey = RedisKeys.AnswerLock(providerId, blockKey);
            var version = SessionId.New();
            var value = version + SessionJson.Write(answer);
            await redis.RunAsync(async db =>
            {
                var batch = db.CreateBatch();
                var set = ttl > TimeSpan.Zero ? batch.StringSetAsync(key, value, ttl) : Task.FromResult(true);
                var release = batch.ScriptEvaluateAsync(RedisScripts.ReleaseLock, [lockKey], [redis.InstanceId]);
                batch.Execute();
                await Task.WhenAll(set, release).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            if (ttl > TimeSpan.Zero) _memo.Put(key, version, answer, ttl);
        }
        catch (SessionStoreUnavailableException ex)
        {
            LogUnavailable(logger, providerId, ex.Message);
        }
    }

    public async ValueTask AbandonAsync(string providerId, string blockKey, CancellationToken cancellationToken)
    {
        try
        {
            var lockKey = RedisKeys.AnswerLock(providerId, blockKey);
            await redis.RunAsync(db => db.ScriptEvaluateAsync(RedisScripts.ReleaseLock, [lockKey], [redis.InstanceId]), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (SessionStoreUnavailableException ex)
        {
            LogUnavailable(logger, providerId, ex.Message);
        }
    }

    /// <summary>The stored answer: this instance's copy when the stored version still matches it, else read and parsed.</summary>
    private async Task<ProviderAnswer?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        if (_memo.TryGet(key) is { } mine)
        {
            var version = await redis.RunAsync(db => db.StringGetRangeAsync(key, 0, AnswerMemo.VersionLength - 1), cancellationToken).ConfigureAwait(false);
            if (version.IsNullOrEmpty) return null;
            if ((string)version! == mine.Version) return mine.Answer;
        }
        var value = await redis.RunAsync(db => db.StringGetWithExpiryAsync(key), cancellationToken).ConfigureAwait(false);
        return value.Value.IsNull ? null : Parse(key, value.Value!, value.Expiry);
    }

    /// <summary>Parses a stored value (version + JSON) and remembers it.</summary>
    private ProviderAnswer Parse(string key, string stored, TimeSpan? ttl)
    {
        if (stored.Length <= AnswerMemo.VersionLength) throw new SessionStoreUnavailableException("Redis: a cached answer is cut short");
        var answer = SessionJson.Read<ProviderAnswer>(stored[AnswerMemo.VersionLength..]);
        if (ttl is { } left && left > TimeSpan.Zero) _memo.Put(key, stored[..AnswerMemo.VersionLength], answer, left);
        return answer;
    }

    /// <summary>Polls until the answer appears or the lock is gone; bounded by the lock's lifetime and the search deadline.</summary>
    private async Task<ProviderAnswer?> WaitForOwnerAsync(string key, string lockKey, CancellationToken cancellationToken)
    {
        var giveUp = time.GetUtcNow() + options.CoalesceLockTime;
        while (time.GetUtcNow() < giveUp)
        {
            await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
            var (answer, locked) = await redis.RunAsync(async db =>
            {
                var batch = db.CreateBatch();
                var value = batch.StringGetAsync(key);
                var held = batch.KeyExistsAsync(lockKey);
                batch.Execute();
                return (await value.ConfigureAwait(false), await held.ConfigureAwait(false));
            }, cancellationToken).ConfigureAwait(false);
            if (!answer.IsNull) return Parse(key, (string)answer!, null);
            if (!locked) return null;
        }
        return null;
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Debug, Message = "Result cache for {ProviderId} skipped: {Problem}")]
    private static partial void LogUnavailable(ILogger logger, string providerId, string problem);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Debug, Message = "Waiting for broker instance {Owner} to fetch {ProviderId}")]
    private static partial void LogWaiting(ILogger logger, string providerId, string owner);
}
