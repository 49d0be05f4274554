using System.Collections.Concurrent;
using Broker.Sessions;
using Broker.Sessions.Redis;
using StackExchange.Redis;

namespace Broker.Server.UserCredentials;

/// <summary>
/// Bounds the downloads one session runs at once (each holds a provider connection for as long as the file takes), so
/// one user cannot take every connection to a provider. With Redis the bound holds across every broker instance: the
/// session's running downloads are a sorted set <c>broker:session:{sid}:downloads</c> of slot id → lease end (Unix ms,
/// the broker's clock); a slot's instance renews its lease every third of <see cref="DownloadOptions.SlotLease"/> while the
/// download runs, and a slot whose lease ran out (its instance died) is dropped by the next entry, so a crash never
/// keeps a slot. In memory (the demo, one instance) a counter per session.
/// </summary>
public sealed class DownloadSlots(DownloadOptions options, TimeProvider time, IRedisMultiplexerSource? redis = null)
{
    // Drops expired slots, then takes one if fewer than the maximum are held: one script, so two instances never both take the last.
    private const string EnterScript = """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
        redis.call('PEXPIRE', KEYS[1], ARGV[5])
        return 1
        """;

    // Extends a slot's lease, only while it is still held (XX: a slot dropped as expired is not revived).
    private const string RenewScript = """
        local renewed = redis.call('ZADD', KEYS[1], 'XX', 'CH', ARGV[1], ARGV[2])
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        return renewed
        """;

    private readonly ConcurrentDictionary<string, int> _running = new(StringComparer.Ordinal);

    /// <summary>
    /// A slot for <paramref name="sessionId"/>, released on dispose; null when the session already runs the maximum.
    /// Throws <see cref="SessionStoreUnavailableException"/> when Redis cannot be asked.
    /// </summary>
    public async Task<IAsyncDisposable?> TryEnterAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (redis is null) return TryEnterHere(sessionId);
        var db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        var key = (RedisKey)Key(sessionId);
        var slot = Guid.NewGuid().ToString("N");
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var lease = (long)options.SlotLease.TotalMilliseconds;
        try
        {
            var entered = (long)await db.ScriptEvaluateAsync(EnterScript, [key],
                [now, now + lease, options.MaxConcurrentPerSession, slot, 2 * lease]).ConfigureAwait(false);
            return entered == 1 ? new RedisSlot(db, key, slot, time, options.SlotLease) : null;
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            throw new SessionStoreUnavailableException("the download slots of the session cannot be read", ex);
        }
    }

    /// <summary>The key of a session's running downloads (in the session's hash-tag slot, next to its other keys).</summary>
    public static string Key(string sessionId) => $"broker:session:{{{sessionId}}}:downloads";

    private async Task<IDatabase> DatabaseAsync(CancellationToken cancellationToken) =>
        (await redis!.GetMultiplexerAsync(cancellationToken).ConfigureAwait(false))?.GetDatabase()
        ?? throw new SessionStoreUnavailableException("Redis:Configuration cannot be used");

    private Slot? TryEnterHere(string sessionId)
    {
        while (true)
        {
            var current = _running.GetOrAdd(sessionId, 0);
            if (current >= options.MaxConcurrentPerSession) return null;
            if (_running.TryUpdate(sessionId, current + 1, current)) return new Slot(this, sessionId);
        }
    }

    private void Leave(string sessionId)
    {
        while (true)
        {
            var current = _running[sessionId];
            if (current == 1 ? _running.TryRemove(KeyValuePair.Create(sessionId, 1)) : _running.TryUpdate(sessionId, current - 1, current)) return;
        }
    }

    private sealed class Slot(DownloadSlots owner, string sessionId) : IAsyncDisposable
    {
        private int _done;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) owner.Leave(sessionId);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A slot in Redis whose lease this instance renews until it is released.</summary>
    private sealed class RedisSlot : IAsyncDisposable
    {
        private readonly IDatabase _db;
        private readonly RedisKey _key;
        private readonly string _slot;
        private readonly ITimer _renewal;
        private int _done;

        public RedisSlot(IDatabase db, RedisKey key, string slot, TimeProvider time, TimeSpan lease)
        {
            _db = db;
            _key = key;
            _slot = slot;
            _renewal = time.CreateTimer(_ => _ = RenewAsync(time.GetUtcNow() + lease, lease), null, lease / 3, lease / 3);
        }

        private async Task RenewAsync(DateTimeOffset until, TimeSpan lease)
        {
            try
            {
                await _db.ScriptEvaluateAsync(RenewScript, [_key], [until.ToUnixTimeMilliseconds(), _slot, 2 * (long)lease.TotalMilliseconds]).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
            {
                // Renewed at the next tick; a lease that runs out meanwhile only frees the slot early.
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _done, 1) != 0) return;
            await _renewal.DisposeAsync().ConfigureAwait(false);
            try
            {
                await _db.SortedSetRemoveAsync(_key, _slot).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
            {
                // Redis unreachable now: the slot's lease runs out on its own.
            }
        }
    }
}
