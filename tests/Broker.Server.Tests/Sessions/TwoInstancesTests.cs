using System.Net;
using System.Net.Http.Json;
using Broker.Testing;

namespace Broker.Server.Tests.Sessions;

/// <summary>Two broker instances on different ports sharing one Redis deployment (one server, a Cluster, Sentinels) and one upstream provider.</summary>
public abstract class TwoInstancesTests(RedisTopologyFixture redis) : IAsyncLifetime
{
    public sealed class OnSingleRedis(SingleRedisFixture redis) : TwoInstancesTests(redis), IClassFixture<SingleRedisFixture>;

    [Collection(RedisClusterCollection.Name)]
    public sealed class OnRedisCluster(RedisClusterFixture redis) : TwoInstancesTests(redis);

    [Collection(RedisSentinelCollection.Name)]
    public sealed class OnRedisSentinel(RedisSentinelFixture redis) : TwoInstancesTests(redis);

    private readonly CountingAdapter _adapter = new();
    /// <summary>Instance B's log events.</summary>
    private readonly LoggedEvents _bEvents = new();
    private SessionTestHost _a = null!, _b = null!;

    public async Task InitializeAsync()
    {
        await redis.Redis.FlushAsync();
        var settings = redis.Settings(("Sessions:RedisTimeout", SessionMiddlewareTests.FunctionalTimeout), ("Sessions:RateLimitPerMinute", "1000"));
        _a = await SessionTestHost.StartAsync(_adapter, settings);
        _b = await SessionTestHost.StartAsync(_adapter, settings, _bEvents);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task Session_CreatedOnOneInstance_IsUsedOnTheOther_HistoryPagingAndGetData()
    {
        Assert.NotEqual(_a.Address.Port, _b.Address.Port);
        var id = (await _a.Client().PostAsync("/api/v1/sessions", null)).Session()!;
        var (search, _) = await _a.Client(id).SearchAsync("AIA");

        using var history = await _b.Client(id).GetAsync("/api/v1/queries");
        using var page = await _b.Client(id).GetAsync($"/api/v1/queries/{search.QueryId}/records?offset=20&limit=10");
        using var getData = await _b.Client(id).PostAsJsonAsync("/api/v1/getdata", new GetDataInput([search.Records[0].FileId]));

        Assert.Equal(id, history.Session());
        Assert.Equal(search.QueryId, (await history.JsonAsync()).GetProperty("queries")[0].GetProperty("queryId").GetString());
        var records = (await page.JsonAsync()).GetProperty("records").EnumerateArray().Select(r => r.GetProperty("fileId").GetString());
        Assert.Equal(search.Records.Skip(20).Select(r => r.FileId), records);
        var file = Assert.Single((await getData.Content.ReadFromJsonAsync<List<GetDataFile>>(SessionResponses.Json))!);
        Assert.Equal(("fake", "Ok"), (file.Provider, file.Status));
    }

    /// <summary>
    /// Instance A's provider call is held open by a gate; B's identical search is sent only then, and the gate opens
    /// only once B has logged that it waits for A (RedisAnswerCache's event 3011). So B provably arrived while A held
    /// the call: one provider call for both proves coalescing across instances, not a cache hit after the fact.
    /// </summary>
    [Fact]
    public async Task IdenticalQueries_OnBothInstancesAtOnce_AskTheProviderOnce()
    {
        const int waitingForOtherInstance = 3011;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _adapter.Gate = gate.Task;
        var before = _adapter.Searches;

        var first = _a.Client().SearchAsync("XRT");
        await Wait.UntilAsync(() => _adapter.Searches == before + 1 || first.IsCompleted, "instance A to ask the provider");
        var second = _b.Client().SearchAsync("XRT");
        await Wait.UntilAsync(() => _bEvents.Count(waitingForOtherInstance) > 0 || second.IsCompleted, "instance B to wait for A's call");
        gate.SetResult();
        var both = await Task.WhenAll(first, second);

        Assert.Equal(before + 1, _adapter.Searches);
        Assert.Equal(1, _bEvents.Count(waitingForOtherInstance));
        Assert.False(both[0].Answer.FromCache);
        Assert.True(both[1].Answer.FromCache);
        Assert.Equal(both[0].Answer.Records.Select(r => r.FileId), both[1].Answer.Records.Select(r => r.FileId));
    }

    [Fact]
    public async Task RateLimit_HoldsAcrossInstances()
    {
        await using var limitedA = await SessionTestHost.StartAsync(_adapter, redis.Settings(
            ("Sessions:RedisTimeout", SessionMiddlewareTests.FunctionalTimeout), ("Sessions:RateLimitPerMinute", "2")));
        await using var limitedB = await SessionTestHost.StartAsync(_adapter, redis.Settings(
            ("Sessions:RedisTimeout", SessionMiddlewareTests.FunctionalTimeout), ("Sessions:RateLimitPerMinute", "2")));
        var id = (await limitedA.Client().PostAsync("/api/v1/sessions", null)).Session()!;

        var statuses = new List<HttpStatusCode>
        {
            (await limitedA.Client(id).GetAsync("/api/v1/search?instrument=AIA")).StatusCode,
            (await limitedB.Client(id).GetAsync("/api/v1/search?instrument=AIA")).StatusCode,
            (await limitedA.Client(id).GetAsync("/api/v1/search?instrument=AIA")).StatusCode,
            (await limitedB.Client(id).GetAsync("/api/v1/search?instrument=AIA")).StatusCode,
        };

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }
}
