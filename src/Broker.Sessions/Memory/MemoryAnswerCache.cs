using System.Collections.Concurrent;
using Broker.Core.Providers;
using Broker.Core.Search;

namespace Broker.Sessions.Memory;

/// <summary>The answer cache of one process: entries expire by their TTL, and the oldest go first beyond the size bound.</summary>
internal sealed class MemoryAnswerCache(BrokerSessionOptions options, TimeProvider time) : IAnswerCache
{
    private readonly ConcurrentDictionary<string, (ProviderAnswer Answer, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);

    public ValueTask<ProviderAnswer?> GetAsync(string providerId, string blockKey, CancellationToken cancellationToken)
    {
        var key = providerId + "\n" + blockKey;
        if (_entries.TryGetValue(key, out var entry))
        {
            if (entry.Expires > time.GetUtcNow()) return ValueTask.FromResult<ProviderAnswer?>(entry.Answer);
            _entries.TryRemove(new KeyValuePair<string, (ProviderAnswer, DateTimeOffset)>(key, entry));
        }
        return ValueTask.FromResult<ProviderAnswer?>(null);
    }

    public ValueTask SetAsync(string providerId, string blockKey, ProviderAnswer answer, TimeSpan ttl, CancellationToken cancellationToken)
    {
        if (options.MemoryCacheEntries == 0 || ttl <= TimeSpan.Zero) return ValueTask.CompletedTask;
        var now = time.GetUtcNow();
        _entries[providerId + "\n" + blockKey] = (answer, now + ttl);
        if (_entries.Count > options.MemoryCacheEntries) Evict(now);
        return ValueTask.CompletedTask;
    }

    private void Evict(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
            if (entry.Expires <= now) _entries.TryRemove(key, out _);
        var excess = _entries.Count - options.MemoryCacheEntries;
        if (excess <= 0) return;
        foreach (var (key, _) in _entries.OrderBy(e => e.Value.Expires).Take(excess).ToList()) _entries.TryRemove(key, out _);
    }
}
