using System.Collections.Concurrent;

namespace Broker.Sessions.Memory;

/// <summary>Fixed one-minute windows counted in this process (the demo default, and the fallback while Redis is down).</summary>
internal sealed class MemoryRateLimiter(BrokerSessionOptions options, TimeProvider time) : IRateLimiter
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private long _lastSweep;

    public Task<RateLimitDecision> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var window = now.ToUnixTimeMilliseconds() / (long)Window.TotalMilliseconds;
        Sweep(window);
        var counter = _counters.AddOrUpdate(key, _ => new Counter(window, 1),
            (_, c) => c.Window == window ? c with { Count = c.Count + 1 } : new Counter(window, 1));
        var limit = options.RateLimitPerMinute;
        var windowEnd = DateTimeOffset.FromUnixTimeMilliseconds((window + 1) * (long)Window.TotalMilliseconds);
        return Task.FromResult(new RateLimitDecision(counter.Count <= limit, limit, Math.Max(0, limit - counter.Count), windowEnd - now));
    }

    /// <summary>Forgets counters of past windows once per window, so idle keys do not pile up.</summary>
    private void Sweep(long window)
    {
        if (Interlocked.Exchange(ref _lastSweep, window) == window) return;
        foreach (var (key, counter) in _counters)
            if (counter.Window < window) _counters.TryRemove(new KeyValuePair<string, Counter>(key, counter));
    }

    private sealed record Counter(long Window, int Count);
}
