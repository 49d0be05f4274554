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
        ("Sessions:Expiry", "00:00:02"), ("Sessions:RateLimitPerMinute", "3"), ("Sessions:RedisTimeout", SessionMiddlewareTests.FunctionalTimeout)));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Session_UsedWithinExpiry_Slides_AndIdleBeyondIt_IsReplaced()
    {
        using var created = await _host.Client().PostAsync("/api/v1/sessions", null);
        var id = created.Session()!;
        using (var search = await _host.Client(id).GetAsync("/api/v1/search?instrument=AIA")) Assert.Equal(id, search.Session());
        var queryId = (await (await _host.Client(id).GetAsync("/api/v1/queries")).JsonAsync()).GetProperty("queries")[0].GetProperty("queryId").GetString();

        for (var i = 0; i < 3; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1.2));
            using var touch = await _host.Client(id).GetAsync($"/api/v1/queries/{queryId}/records?limit=5");
            Assert.Equal(HttpStatusCode.OK, touch.StatusCode);
            Assert.Equal(id, touch.Session());
        }
        await Task.Delay(TimeSpan.FromSeconds(3));
        using var expired = await _host.Client(id).GetAsync("/api/v1/queries");

        Assert.NotEqual(id, expired.Session());
        Assert.Empty((await expired.JsonAsync()).GetProperty("queries").EnumerateArray());
        var inspector = (await redis.Redis.InspectorAsync()).GetDatabase();
        Assert.Equal(0, await inspector.KeyExistsAsync([$"broker:session:{{{id}}}", $"broker:session:{{{id}}}:history", $"broker:session:{{{id}}}:results"]));
    }

    [Fact]
    public async Task Search_BeyondTheLimit_Is429WithRetryAfter_ForThatSessionOnly()
    {
        var limited = (await _host.Client().PostAsync("/api/v1/sessions", null)).Session()!;
        var other = (await _host.Client().PostAsync("/api/v1/sessions", null)).Session()!;
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await _host.Client(limited).GetAsync("/api/v1/search?instrument=AIA")).StatusCode);

        using var rejected = await _host.Client(limited).GetAsync("/api/v1/search?instrument=AIA");
        using var otherSession = await _host.Client(other).GetAsync("/api/v1/search?instrument=AIA");
        using var notLimitedPath = await _host.Client(limited).GetAsync("/api/v1/queries");

        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        Assert.Equal("application/problem+json", rejected.Content.Headers.ContentType?.MediaType);
        var retryAfter = int.Parse(Assert.Single(rejected.Headers.GetValues("Retry-After")), CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal(429, (await rejected.JsonAsync()).GetProperty("status").GetInt32());
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
