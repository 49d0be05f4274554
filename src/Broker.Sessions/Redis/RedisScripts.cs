namespace Broker.Sessions.Redis;

/// <summary>
/// The Lua scripts that keep related keys consistent in one round trip each. Every script names all the keys it
/// touches in KEYS, and all of them share one hash tag (<see cref="RedisKeys"/>): a session's keys, or one shared
/// result's keys. So each script runs on one slot, on one Redis as on a Redis Cluster.
/// </summary>
internal static class RedisScripts
{
    /// <summary>
    /// KEYS: session, history, results, credentials. ARGV: expiry ms. Slides the session's own keys and returns
    /// {session JSON, content keys of its stored results (each once)}; nil when the session is gone. The shared results
    /// live in other slots: the caller slides them with <see cref="EnsureResult"/>.
    /// </summary>
    public const string Touch = """
        local value = redis.call('GET', KEYS[1])
        if not value then return false end
        local ms = tonumber(ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ms)
        redis.call('PEXPIRE', KEYS[2], ms)
        redis.call('PEXPIRE', KEYS[3], ms)
        redis.call('PEXPIRE', KEYS[4], ms)
        local out = {value}
        local seen = {}
        for _, key in ipairs(redis.call('HVALS', KEYS[3])) do
          if key ~= '' and not seen[key] then
            seen[key] = true
            table.insert(out, key)
          end
        end
        return out
        """;

    /// <summary>
    /// KEYS: result, result files[, new result, new result files]. ARGV: ms the result must live at least.
    /// With the two new keys, first moves them into place as the shared result (or drops them when a complete copy is
    /// already there). Then makes both keys live at least ARGV[1] ms (never shortening: another session may have slid
    /// them further). Returns 1 when the shared result is complete, 0 when it is missing (write it, then call again).
    /// </summary>
    public const string EnsureResult = """
        if #KEYS > 2 then
          if redis.call('EXISTS', KEYS[1]) == 1 and redis.call('EXISTS', KEYS[2]) == 1 then
            redis.call('DEL', KEYS[3], KEYS[4])
          elseif redis.call('EXISTS', KEYS[3]) == 1 and redis.call('EXISTS', KEYS[4]) == 1 then
            redis.call('RENAME', KEYS[3], KEYS[1])
            redis.call('RENAME', KEYS[4], KEYS[2])
          end
        end
        local ms = tonumber(ARGV[1])
        local present = 0
        for i = 1, 2 do
          local ttl = redis.call('PTTL', KEYS[i])
          if ttl ~= -2 then
            present = present + 1
            if ttl < ms then redis.call('PEXPIRE', KEYS[i], ms) end
          end
        end
        if present == 2 then return 1 end
        return 0
        """;

    /// <summary>
    /// KEYS: session, history, results. ARGV: max queries, summary JSON, query id, content key ("" when no records were stored).
    /// Adds the query and its content key, trims the history, and gives history and references the session's own
    /// remaining lifetime (a session that is never used again takes its history with it). Returns 0 when the session
    /// is gone, 1 when added or already there: a write retried after a reply that timed out (Redis paused, then ran
    /// it) never lists the query twice. Trimmed queries lose only their reference: a shared result may still be
    /// another query's, and expires on its own.
    /// </summary>
    public const string AddQuery = """
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl == -2 then return 0 end
        if redis.call('HEXISTS', KEYS[3], ARGV[3]) == 1 then return 1 end
        local max = tonumber(ARGV[1])
        redis.call('LPUSH', KEYS[2], ARGV[2])
        redis.call('HSET', KEYS[3], ARGV[3], ARGV[4])
        for _, item in ipairs(redis.call('LRANGE', KEYS[2], max, -1)) do
          redis.call('HDEL', KEYS[3], cjson.decode(item)['queryId'])
        end
        redis.call('LTRIM', KEYS[2], 0, max - 1)
        if ttl > 0 then
          redis.call('PEXPIRE', KEYS[2], ttl)
          redis.call('PEXPIRE', KEYS[3], ttl)
        end
        return 1
        """;

    /// <summary>KEYS: session, history, results, credentials. Deletes the session and all that is its alone (shared results expire on their own); returns 1 when it existed.</summary>
    public const string Delete = """
        local existed = redis.call('DEL', KEYS[1])
        redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
        return existed
        """;

    /// <summary>
    /// KEYS: session, credentials. ARGV: provider id, protected value. Stores the credential with the session's own
    /// remaining lifetime; returns 0 (storing nothing) when the session is gone.
    /// </summary>
    public const string SetCredential = """
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl == -2 then return 0 end
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
        if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
        return 1
        """;

    /// <summary>KEYS: history, results. Returns the content keys of the session's stored results, newest query first, each once.</summary>
    public const string ResultKeys = """
        local out = {}
        local seen = {}
        for _, item in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
          local key = redis.call('HGET', KEYS[2], cjson.decode(item)['queryId'])
          if key and key ~= '' and not seen[key] then
            seen[key] = true
            table.insert(out, key)
          end
        end
        return out
        """;

    /// <summary>KEYS: result, result files. ARGV: file ids. Returns {file id, record JSON, …} for the ids this result holds.</summary>
    public const string FindInResult = """
        local out = {}
        for i = 1, #ARGV do
          local index = redis.call('HGET', KEYS[2], ARGV[i])
          if index then
            local record = redis.call('LINDEX', KEYS[1], tonumber(index))
            if record then
              table.insert(out, ARGV[i])
              table.insert(out, record)
            end
          end
        end
        return out
        """;

    /// <summary>KEYS: counter. ARGV: window ms. Returns {count, ms left in the window}.</summary>
    public const string CountRequest = """
        local n = redis.call('INCR', KEYS[1])
        local ttl = redis.call('PTTL', KEYS[1])
        if n == 1 or ttl < 0 then
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
          ttl = tonumber(ARGV[1])
        end
        return {n, ttl}
        """;

    /// <summary>KEYS: lock. ARGV: owner. Deletes the lock only when this owner still holds it.</summary>
    public const string ReleaseLock = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;
}
