using System.Globalization;
using System.Net;
using Broker.Testing;

namespace Broker.Server.Tests.Sessions;

/// <summary>Sliding expiry and the per-session rate limit, with short settings, on one Redis, a Redis Cluster and behind Sentinels.</summary>
public abstract class SessionLimitsTests(RedisTopologyFixture redis) : IAsyncLifetime
{
    public sealed class OnSingleRedis(SingleRedisFixture redis) : SessionLimitsTests(redis), IClassFixture<SingleRedisFixture>;

    [Collection(RedisClusterCollection.Name)]
    public sealed class OnRedisCluster(RedisClusterFixture redis) : SessionLimitsTests(redis);

    [Collection(RedisSentinelCollection.Name)]
    public sealed class OnRedisSentinel(RedisSentinelFixture redis) : SessionLimitsTests(redis);

    private readonly CountingAdapter _adapter = new();
    private SessionTestHost _host = null!;

    public async Task InitializeAsync()
    {
        await redis.Redis.FlushAsync();
        _host = await SessionTestHost.StartAsync(_adapter, redis.Settings(
        ("Sessions:Expiry", "01:00:00"), ("Sessions:FirstUseExpiry", "00:05:00"), ("Sessions:RateLimitPerMinute", "3"), ("Sessions:RedisTimeout", SessionMiddlewareTests.FunctionalTimeout)));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>
    /// Expiry is Redis's own: the test reads the lifetimes the broker gave the keys, and lets Redis expire them
    /// instead of waiting for a clock.
    /// </summary>
    [Fact]
    public async Task Session_LivesFirstUseExpiry_SlidesToExpiryWhenUsed_AndOnceExpiredIsReplaced()
    {
        var db = (await redis.Redis.InspectorAsync()).GetDatabase();
        using var created = await _host.Client().PostAsync("/api/v1/sessions", null);
        var id = created.Session()!;
        var keys = new StackExchange.Redis.RedisKey[] { $"broker:session:{{{id}}}", $"broker:session:{{{id}}}:history", $"broker:session:{{{id}}}:results" };
        var issued = await db.KeyTimeToLiveAsync(keys[0]);

        using (var search = await _host.Client(id).GetAsync("/api/v1/search?instrument=AIA")) Assert.Equal(id, search.Session());
        // The search is written to the session's history after its answer is sent.
        await Wait.UntilAsync(async () => await db.KeyExistsAsync(keys[1]), "the search in the session's history");
        var slid = await db.KeyTimeToLiveAsync(keys[0]);
        var history = await db.KeyTimeToLiveAsync(keys[1]);

        Assert.InRange(issued!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        Assert.InRange(slid!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        Assert.InRange(history!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));

        foreach (var key in keys) await db.KeyExpireAsync(key, TimeSpan.FromMilliseconds(1));
        await Wait.UntilAsync(async () => await db.KeyExistsAsync(keys) == 0, TimeSpan.FromSeconds(30), "Redis to expire the session's keys");
        using var expired = await _host.Client(id).GetAsync("/api/v1/queries");

        Assert.NotEqual(id, expired.Session());
        Assert.Empty((await expired.JsonAsync()).GetProperty("queries").EnumerateArray());
        Assert.Equal(0, await db.KeyExistsAsync(keys));
    }

    [Fact]
    public async Task Search_BeyondTheLimit_Is429WithRetryAfter_ForThatSessionOnly()
    {
        var limited = (await _host.Client().PostAsync("/api/v1/sessions", null)).Session()!;
        var other = (await _host.Client().PostAsync("/api/v1/sessions", null)).Session()!;
        var remaining = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await _host.Client(limited).GetAsync("/api/v1/search?instrument=AIA");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            Assert.Equal("\"session\";q=3;w=60", Assert.Single(allowed.Headers.GetValues("RateLimit-Policy")));
            remaining.Add(Assert.Single(allowed.Headers.GetValues("RateLimit")).Split(';')[1]);
        }
        Assert.Equal(["r=2", "r=1", "r=0"], remaining);

        using var rejected = await _host.Client(limited).GetAsync("/api/v1/search?instrument=AIA");
        using var otherSession = await _host.Client(other).GetAsync("/api/v1/search?instrument=AIA");
        using var notLimitedPath = await _host.Client(limited).GetAsync("/api/v1/queries");

        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        Assert.Equal("application/problem+json", rejected.Content.Headers.ContentType?.MediaType);
        var retryAfter = int.Parse(Assert.Single(rejected.Headers.GetValues("Retry-After")), CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal(429, (await rejected.JsonAsync()).GetProperty("status").GetInt32());
        Assert.Matches("^\"session\";r=0;t=([1-9]|[1-5][0-9]|60)$", Assert.Single(rejected.Headers.GetValues("RateLimit")));
        Assert.Equal(HttpStatusCode.OK, otherSession.StatusCode);
        Assert.Equal(HttpStatusCode.OK, notLimitedPath.StatusCode);
    }

    [Theory]
    [InlineData("/soap/VSOi_rpc_literal.wsdl")]
    [InlineData("/soap/vsoi?wsdl")]
    [InlineData("/health/ready")]
    [InlineData("/metrics")]
    public async Task WsdlHealthAndMetrics_WithoutCookies_GetNoSession_AndAreNeverRateLimited(string path)
    {
        for (var i = 0; i < 6; i++) // twice the limit of 3
        {
            using var response = await _host.Client().GetAsync(path);
            Assert.NotEqual(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.False(response.Headers.Contains("Set-Cookie"), $"{path} set a cookie");
            Assert.Null(response.Session());
        }
        Assert.Empty(await redis.Redis.KeysAsync("broker:session:*"));
    }

    [Fact]
    public async Task Search_WithoutSessionRepeatedly_IsLimitedByAddress()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
            statuses.Add((await _host.Client().GetAsync("/api/v1/search?instrument=SWAP")).StatusCode);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }
}
