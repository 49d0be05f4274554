using System.Collections.Concurrent;
using Broker.Core.Providers;

namespace Broker.Sessions.Redis;

/// <summary>
/// The answers this instance last read from or wrote to the shared cache, with the version they were stored under.
/// Only a copy: it is served only after Redis confirms the stored version is still the same, so a refresh by another
/// instance (or the key's expiry) is never hidden. Bounded by <see cref="BrokerSessionOptions.MemoryCacheEntries"/>.
/// </summary>
internal sealed class AnswerMemo(int capacity, TimeProvider time)
{
    /// <summary>Characters of the version prefix of every stored answer.</summary>
    public const int VersionLength = 32;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public sealed record Entry(string Version, ProviderAnswer Answer, DateTimeOffset Expires);

    public Entry? TryGet(string key)
    {
        if (!_entries.TryGetValue(key, out var entry)) return null;
        if (entry.Expires > time.GetUtcNow()) return entry;
        _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        return null;
    }

    public void Put(string key, string version, ProviderAnswer answer, TimeSpan ttl)
    {
        if (capacity == 0) return;
        var now = time.GetUtcNow();
        _entries[key] = new Entry(version, answer, now + ttl);
        if (_entries.Count <= capacity) return;
        foreach (var (k, e) in _entries)
            if (e.Expires <= now) _entries.TryRemove(new KeyValuePair<string, Entry>(k, e));
        var excess = _entries.Count - capacity;
        if (excess > 0)
            foreach (var (k, _) in _entries.OrderBy(e => e.Value.Expires).Take(excess).ToList()) _entries.TryRemove(k, out _);
    }
}
