using System.Collections.Concurrent;

namespace Broker.Sessions.Memory;

/// <summary>
/// One-minute windows counted in this process (the demo default, and the fallback while Redis is down), with the
/// same rule as <see cref="Redis.RedisRateLimiter"/>: a key's window starts at its first request and lasts a minute.
/// </summary>
internal sealed class MemoryRateLimiter(BrokerSessionOptions options, TimeProvider time) : IRateLimiter
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private long _lastSweepTicks;

    public Task<RateLimitDecision> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        Sweep(now);
        var counter = _counters.AddOrUpdate(key, _ => new Counter(now, 1),
            (_, c) => now - c.Started < Window ? c with { Count = c.Count + 1 } : new Counter(now, 1));
        var limit = options.RateLimitPerMinute;
        var left = counter.Started + Window - now;
        return Task.FromResult(new RateLimitDecision(counter.Count <= limit, limit, Math.Max(0, limit - counter.Count), left));
    }

    /// <summary>Forgets the counters of ended windows at most once a minute, so idle keys do not pile up.</summary>
    private void Sweep(DateTimeOffset now)
    {
        var last = Interlocked.Read(ref _lastSweepTicks);
        if (now.UtcTicks - last < Window.Ticks || Interlocked.CompareExchange(ref _lastSweepTicks, now.UtcTicks, last) != last) return;
        foreach (var (key, counter) in _counters)
            if (now - counter.Started >= Window) _counters.TryRemove(new KeyValuePair<string, Counter>(key, counter));
    }

    private sealed record Counter(DateTimeOffset Started, int Count);
}
