using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Configuration;
using Broker.Sessions.Memory;

namespace Broker.Sessions.Tests.Memory;

public sealed class MemorySessionStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly BrokerSessionOptions _options = new() { Expiry = TimeSpan.FromMinutes(30), MaxStoredQueries = 2, MaxStoredRecords = 4 };

    [Fact]
    public async Task Touch_WithinExpiry_Slides_AfterIdleExpiry_IsNull()
    {
        var store = new MemorySessionStore(_options, _time);
        var session = await store.CreateAsync(CancellationToken.None);
        Assert.NotNull(await store.TouchAsync(session.Id, CancellationToken.None)); // its second use starts the sliding expiry

        _time.Advance(TimeSpan.FromMinutes(20));
        Assert.NotNull(await store.TouchAsync(session.Id, CancellationToken.None));
        _time.Advance(TimeSpan.FromMinutes(20));
        Assert.NotNull(await store.TouchAsync(session.Id, CancellationToken.None));
        _time.Advance(TimeSpan.FromMinutes(31));

        Assert.Null(await store.TouchAsync(session.Id, CancellationToken.None));
        Assert.Null(await store.TouchAsync(SessionId.New(), CancellationToken.None));
    }

    [Fact]
    public async Task IssuedSession_NeverUsedAgain_ExpiresAfterFirstUseExpiry_WhileOneUsedTwiceSlides()
    {
        var store = new MemorySessionStore(_options with { FirstUseExpiry = TimeSpan.FromMinutes(5) }, _time);
        var abandoned = await store.CreateAsync(CancellationToken.None);
        var used = await store.CreateAsync(CancellationToken.None);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromMinutes(5), abandoned.ExpiresAt);

        _time.Advance(TimeSpan.FromMinutes(4));
        var touched = await store.TouchAsync(used.Id, CancellationToken.None);
        Assert.Equal(_time.GetUtcNow() + _options.Expiry, touched!.ExpiresAt);
        _time.Advance(TimeSpan.FromMinutes(2));

        Assert.Null(await store.TouchAsync(abandoned.Id, CancellationToken.None));
        Assert.NotNull(await store.TouchAsync(used.Id, CancellationToken.None));
    }

    [Fact]
    public async Task AddQuery_KeepsTheLastQueriesAndAtMostMaxStoredRecords()
    {
        var store = new MemorySessionStore(_options, _time);
        var session = await store.CreateAsync(CancellationToken.None);
        var results = new[] { TestResults.Of(10, "A"), TestResults.Of(10, "B"), TestResults.Of(10, "C") };
        foreach (var r in results) await store.AddQueryAsync(session.Id, r, CancellationToken.None);

        var history = await store.GetHistoryAsync(session.Id, CancellationToken.None);
        var page = await store.GetRecordsAsync(session.Id, results[2].QueryId, 2, 10, CancellationToken.None);

        Assert.Equal([results[2].QueryId, results[1].QueryId], history.Select(q => q.QueryId));
        Assert.Equal((4, 2), (page!.Total, page.Records.Count));
        Assert.Null(await store.GetQueryAsync(session.Id, results[0].QueryId, CancellationToken.None));
    }

    [Fact]
    public async Task Create_BeyondMemoryMaxSessions_EvictsTheLeastRecentlySeen()
    {
        var store = new MemorySessionStore(_options with { MemoryMaxSessions = 10 }, _time);
        var first = await store.CreateAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        var kept = await store.CreateAsync(CancellationToken.None);
        for (var i = 0; i < 9; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await store.TouchAsync(kept.Id, CancellationToken.None);
            await store.CreateAsync(CancellationToken.None);
        }

        Assert.Null(await store.TouchAsync(first.Id, CancellationToken.None));
        Assert.NotNull(await store.TouchAsync(kept.Id, CancellationToken.None));
    }

    [Fact]
    public async Task AddQuery_BeyondMemoryMaxStoredRecords_OldestSessionsLoseTheirResultsFirst()
    {
        var store = new MemorySessionStore(_options with { MemoryMaxStoredRecords = 10 }, _time);
        var old = await store.CreateAsync(CancellationToken.None);
        var oldResult = TestResults.Of(4, "A");
        await store.AddQueryAsync(old.Id, oldResult, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        var recent = await store.CreateAsync(CancellationToken.None);
        var results = new[] { TestResults.Of(4, "B"), TestResults.Of(4, "C") };
        foreach (var r in results) await store.AddQueryAsync(recent.Id, r, CancellationToken.None);

        Assert.Null(await store.GetQueryAsync(old.Id, oldResult.QueryId, CancellationToken.None));
        Assert.NotNull(await store.TouchAsync(old.Id, CancellationToken.None));
        Assert.Equal(2, (await store.GetHistoryAsync(recent.Id, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task AnswerCache_EntryExpiresWithItsTtl()
    {
        var cache = new MemoryAnswerCache(_options, _time);
        await cache.SetAsync("p", "k", new Core.Providers.ProviderAnswer([]), TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.NotNull(await cache.GetAsync("p", "k", CancellationToken.None));
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(await cache.GetAsync("p", "k", CancellationToken.None));
    }

    [Fact]
    public async Task RateLimiter_CountsPerKeyAndWindow()
    {
        var limiter = new MemoryRateLimiter(_options with { RateLimitPerMinute = 2 }, _time);

        var decisions = new[]
        {
            await limiter.AcquireAsync("a", CancellationToken.None), await limiter.AcquireAsync("a", CancellationToken.None),
            await limiter.AcquireAsync("a", CancellationToken.None), await limiter.AcquireAsync("b", CancellationToken.None),
        };
        _time.Advance(TimeSpan.FromMinutes(1));
        var nextWindow = await limiter.AcquireAsync("a", CancellationToken.None);

        Assert.Equal([true, true, false, true], decisions.Select(d => d.Allowed));
        Assert.InRange(decisions[2].RetryAfter, TimeSpan.FromTicks(1), TimeSpan.FromMinutes(1));
        Assert.True(nextWindow.Allowed);
    }

    [Theory]
    [InlineData("Sessions:Expiry", "tomorrow")]
    [InlineData("Sessions:MaxStoredQueries", "0")]
    [InlineData("Sessions:RateLimitPerMinute", "-1")]
    public void Options_WithMalformedValue_NameTheKey(string key, string value)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => BrokerSessionOptions.From(configuration));

        Assert.Contains(key, error.Message);
    }
}
