namespace Broker.Sessions.Redis;

/// <summary>The Lua scripts that keep a session's keys consistent in one round trip each.</summary>
internal static class RedisScripts
{
    /// <summary>KEYS: session, history. ARGV: expiry ms, query key prefix. Returns the session JSON and slides every key's TTL; nil when gone.</summary>
    public const string Touch = """
        local value = redis.call('GET', KEYS[1])
        if not value then return false end
        local ms = tonumber(ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ms)
        redis.call('PEXPIRE', KEYS[2], ms)
        for _, item in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
          local id = cjson.decode(item)['queryId']
          redis.call('PEXPIRE', ARGV[2] .. 'records:' .. id, ms)
          redis.call('PEXPIRE', ARGV[2] .. 'files:' .. id, ms)
        end
        return value
        """;

    /// <summary>KEYS: session, history. ARGV: expiry ms, max queries, summary JSON, query key prefix. Returns 0 when the session is gone.</summary>
    public const string AddQuery = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        local ms = tonumber(ARGV[1])
        local max = tonumber(ARGV[2])
        redis.call('LPUSH', KEYS[2], ARGV[3])
        for _, item in ipairs(redis.call('LRANGE', KEYS[2], max, -1)) do
          local id = cjson.decode(item)['queryId']
          redis.call('DEL', ARGV[4] .. 'records:' .. id, ARGV[4] .. 'files:' .. id)
        end
        redis.call('LTRIM', KEYS[2], 0, max - 1)
        redis.call('PEXPIRE', KEYS[2], ms)
        return 1
        """;

    /// <summary>KEYS: session, history. ARGV: query key prefix. Deletes the session and all it stored; returns 1 when it existed.</summary>
    public const string Delete = """
        local existed = redis.call('DEL', KEYS[1])
        for _, item in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
          local id = cjson.decode(item)['queryId']
          redis.call('DEL', ARGV[1] .. 'records:' .. id, ARGV[1] .. 'files:' .. id)
        end
        redis.call('DEL', KEYS[2])
        return existed
        """;

    /// <summary>KEYS: history. ARGV: query key prefix, file ids... Returns the stored records (JSON) of those ids, newest query first, one per id.</summary>
    public const string FindRecords = """
        local out = {}
        local seen = {}
        for _, item in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
          local id = cjson.decode(item)['queryId']
          for i = 2, #ARGV do
            if not seen[ARGV[i]] then
              local index = redis.call('HGET', ARGV[1] .. 'files:' .. id, ARGV[i])
              if index then
                local record = redis.call('LINDEX', ARGV[1] .. 'records:' .. id, tonumber(index))
                if record then
                  seen[ARGV[i]] = true
                  table.insert(out, record)
                end
              end
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
