namespace Broker.Sessions.Redis;

/// <summary>The Lua scripts that keep a session's keys consistent in one round trip each.</summary>
internal static class RedisScripts
{
    /// <summary>
    /// KEYS: session, history, results. ARGV: expiry ms, query key prefix, result prefix, result files prefix.
    /// Returns the session JSON and slides the TTL of every key the session reaches, shared results included (once
    /// each, however many queries share one); nil when gone. Old per-query keys are looked for only when some history
    /// entry has no content key (history longer than the results hash), so a session without them pays nothing.
    /// </summary>
    public const string Touch = """
        local value = redis.call('GET', KEYS[1])
        if not value then return false end
        local ms = tonumber(ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ms)
        redis.call('PEXPIRE', KEYS[2], ms)
        redis.call('PEXPIRE', KEYS[3], ms)
        local seen = {}
        for _, key in ipairs(redis.call('HVALS', KEYS[3])) do
          if key ~= '' and not seen[key] then
            seen[key] = true
            redis.call('PEXPIRE', ARGV[3] .. key, ms)
            redis.call('PEXPIRE', ARGV[4] .. key, ms)
          end
        end
        if redis.call('LLEN', KEYS[2]) > redis.call('HLEN', KEYS[3]) then
          for _, item in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
            local id = cjson.decode(item)['queryId']
            if redis.call('HEXISTS', KEYS[3], id) == 0 then
              redis.call('PEXPIRE', ARGV[2] .. 'records:' .. id, ms)
              redis.call('PEXPIRE', ARGV[2] .. 'files:' .. id, ms)
            end
          end
        end
        return value
        """;

    /// <summary>
    /// KEYS: session, history, results, result, result files[, new result, new result files].
    /// ARGV: expiry ms, max queries, summary JSON, query key prefix, query id, content key ("" when no records were stored).
    /// With the two new keys, first moves them into place as the shared result (or drops them when a complete copy is
    /// already there). Then slides the shared result's TTL and adds the query, its content key and the history trim.
    /// Returns 0 when the session is gone, 2 when the shared result is missing (write it, then call again with it), 1 when added.
    /// Trimmed queries lose only their reference: a shared result may still be another query's, and expires on its own
    /// a session expiry after its last use.
    /// </summary>
    public const string AddQuery = """
        if redis.call('EXISTS', KEYS[1]) == 0 then
          if #KEYS > 5 then redis.call('DEL', KEYS[6], KEYS[7]) end
          return 0
        end
        local ms = tonumber(ARGV[1])
        local max = tonumber(ARGV[2])
        if ARGV[6] ~= '' then
          if #KEYS > 5 then
            if redis.call('EXISTS', KEYS[4]) == 1 and redis.call('EXISTS', KEYS[5]) == 1 then
              redis.call('DEL', KEYS[6], KEYS[7])
            elseif redis.call('EXISTS', KEYS[6]) == 1 and redis.call('EXISTS', KEYS[7]) == 1 then
              redis.call('RENAME', KEYS[6], KEYS[4])
              redis.call('RENAME', KEYS[7], KEYS[5])
            end
          end
          if redis.call('PEXPIRE', KEYS[4], ms) + redis.call('PEXPIRE', KEYS[5], ms) < 2 then return 2 end
        end
        redis.call('LPUSH', KEYS[2], ARGV[3])
        redis.call('HSET', KEYS[3], ARGV[5], ARGV[6])
        for _, item in ipairs(redis.call('LRANGE', KEYS[2], max, -1)) do
          local id = cjson.decode(item)['queryId']
          redis.call('HDEL', KEYS[3], id)
          redis.call('DEL', ARGV[4] .. 'records:' .. id, ARGV[4] .. 'files:' .. id)
        end
        redis.call('LTRIM', KEYS[2], 0, max - 1)
        redis.call('PEXPIRE', KEYS[2], ms)
        redis.call('PEXPIRE', KEYS[3], ms)
        return 1
        """;

    /// <summary>
    /// KEYS: session, history, results. ARGV: query key prefix. Deletes the session and all that is its alone (shared
    /// results expire on their own); returns 1 when it existed.
    /// </summary>
    public const string Delete = """
        local existed = redis.call('DEL', KEYS[1])
        if redis.call('LLEN', KEYS[2]) > redis.call('HLEN', KEYS[3]) then
          for _, item in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
            local id = cjson.decode(item)['queryId']
            redis.call('DEL', ARGV[1] .. 'records:' .. id, ARGV[1] .. 'files:' .. id)
          end
        end
        redis.call('DEL', KEYS[2], KEYS[3])
        return existed
        """;

    /// <summary>
    /// KEYS: history, results. ARGV: query key prefix, result prefix, result files prefix, file ids...
    /// Returns the stored records (JSON) of those ids, newest query first, one per id; a shared result reached by
    /// several queries is searched once.
    /// </summary>
    public const string FindRecords = """
        local out = {}
        local seen = {}
        local visited = {}
        local wanted = #ARGV - 3
        local found = 0
        for _, item in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
          if found >= wanted then break end
          local id = cjson.decode(item)['queryId']
          local key = redis.call('HGET', KEYS[2], id)
          local records, files
          if key then
            if key ~= '' and not visited[key] then
              visited[key] = true
              records, files = ARGV[2] .. key, ARGV[3] .. key
            end
          else
            records, files = ARGV[1] .. 'records:' .. id, ARGV[1] .. 'files:' .. id
          end
          if records then
            for i = 4, #ARGV do
              if not seen[ARGV[i]] then
                local index = redis.call('HGET', files, ARGV[i])
                if index then
                  local record = redis.call('LINDEX', records, tonumber(index))
                  if record then
                    seen[ARGV[i]] = true
                    found = found + 1
                    table.insert(out, record)
                  end
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
