using Broker.Sessions.Memory;
using Microsoft.Extensions.Time.Testing;

namespace Broker.Sessions.Tests.Memory;

/// <summary>The in-process limiter counts like the Redis one: a key's minute starts at its first request.</summary>
public sealed class MemoryRateLimiterTests
{
    [Fact]
    public async Task Window_StartsAtTheKeysFirstRequest_NotAtTheClockMinute()
    {
        // 50 s past a minute: a window aligned to clock minutes would end after 10 s.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 50, TimeSpan.Zero));
        var limiter = new MemoryRateLimiter(new BrokerSessionOptions { RateLimitPerMinute = 2 }, time);

        var first = await limiter.AcquireAsync("a", CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(30));
        var second = await limiter.AcquireAsync("a", CancellationToken.None);
        var third = await limiter.AcquireAsync("a", CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(30));
        var afterTheMinute = await limiter.AcquireAsync("a", CancellationToken.None);

        Assert.Equal([true, true, false, true], new[] { first, second, third, afterTheMinute }.Select(d => d.Allowed));
        Assert.Equal(TimeSpan.FromSeconds(30), third.RetryAfter);
        Assert.Equal((2, 0), (third.Limit, third.Remaining));
        Assert.Equal(TimeSpan.FromMinutes(1), afterTheMinute.RetryAfter);
    }
}
