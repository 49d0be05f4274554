using System.Net;
using System.Net.Http.Json;
using Broker.Testing;

namespace Broker.Server.Tests.Sessions;

/// <summary>
/// The Redis master behind the Sentinels is killed while a broker uses it: once the Sentinels have promoted the
/// replica, the same broker (not restarted) finds the new master and its session, stored results, answer cache and
/// rate-limit counter are all still there and keep working.
/// </summary>
[Collection(RedisSentinelCollection.Name)]
public sealed class SentinelFailoverTests(RedisSentinelFixture redis) : IAsyncLifetime
{
    private readonly CountingAdapter _adapter = new();
    private SessionTestHost _host = null!;

    public async Task InitializeAsync()
    {
        await redis.Redis.FlushAsync();
        _host = await SessionTestHost.StartAsync(_adapter, redis.Settings(("Sessions:RateLimitPerMinute", "50"),
            ("Sessions:RedisTimeout", SessionMiddlewareTests.FunctionalTimeout), ("Sessions:RedisMaxBackoff", "00:00:00.500")));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task MasterKilled_AfterFailover_SessionHistoryRecordsCacheAndRateLimitCarryOn()
    {
        var sentinels = redis.Sentinels;
        var id = (await _host.Client().PostAsync("/api/v1/sessions", null)).Session()!;
        var (search, _) = await _host.Client(id).SearchAsync("AIA");
        var asked = _adapter.Searches;
        var oldMaster = await sentinels.MasterAsync();
        // Everything written so far has reached the replica (as it would, a moment later, in production).
        Assert.Equal(":1", await oldMaster.CliAsync("WAIT", "1", "10000") is { } acked ? ":" + acked.Trim() : null);

        await oldMaster.StopAsync();
        await Wait.UntilAsync(async () => await sentinels.MasterPortAsync() is { } port && port != oldMaster.Port,
            TimeSpan.FromSeconds(60), "the Sentinels to promote the replica");
        // The broker goes session-less ("store unavailable") until its client has followed the Sentinels to the new master.
        await Wait.UntilAsync(async () =>
        {
            using var probe = await _host.Client(id).GetAsync("/api/v1/queries");
            return probe.StatusCode == HttpStatusCode.OK && probe.Warning() is null && probe.Session() == id;
        }, TimeSpan.FromSeconds(60), "the broker to use the new master");

        var counted = await RateCountAsync(id);
        using var history = await _host.Client(id).GetAsync("/api/v1/queries");
        using var page = await _host.Client(id).GetAsync($"/api/v1/queries/{search.QueryId}/records?offset=20&limit=10");
        using var getData = await _host.Client(id).PostAsJsonAsync("/api/v1/getdata", new GetDataInput([search.Records[3].FileId]));
        var (cached, cachedResponse) = await _host.Client(id).SearchAsync("AIA");
        var (fresh, _) = await _host.Client(id).SearchAsync("EIT");
        using var historyAfter = await _host.Client(id).GetAsync("/api/v1/queries");

        Assert.Equal(id, cachedResponse.Session());
        Assert.Null(cachedResponse.Warning());
        Assert.Equal(search.QueryId, (await history.JsonAsync()).GetProperty("queries")[0].GetProperty("queryId").GetString());
        Assert.Equal(search.Records.Skip(20).Take(10).Select(r => r.FileId),
            (await page.JsonAsync()).GetProperty("records").EnumerateArray().Select(r => r.GetProperty("fileId").GetString()));
        var file = Assert.Single((await getData.Content.ReadFromJsonAsync<List<GetDataFile>>(SessionResponses.Json))!);
        Assert.Equal(("fake", "Ok"), (file.Provider, file.Status));
        Assert.True(cached.FromCache, "the answer cached before the failover is served from the new master");
        Assert.False(fresh.FromCache);
        Assert.Equal(asked + 1, _adapter.Searches);
        Assert.Equal([fresh.QueryId, cached.QueryId, search.QueryId],
            (await historyAfter.JsonAsync()).GetProperty("queries").EnumerateArray().Select(q => q.GetProperty("queryId").GetString()));
        // The one-minute window's count of the search before the failover is on the new master, and goes on counting there.
        Assert.True(counted >= 1, "the rate-limit counter was replicated");
        Assert.Equal(counted + 3, await RateCountAsync(id)); // getdata and two searches

        // The old master comes back and the Sentinels make it the new master's replica: the deployment is whole again.
        var newMaster = await sentinels.MasterPortAsync();
        await oldMaster.RestartAsync();
        await Wait.UntilAsync(() => sentinels.IsSettledAsync(newMaster!.Value), TimeSpan.FromSeconds(60), "the old master to rejoin as a replica");
    }

    private async Task<long> RateCountAsync(string id)
    {
        var db = (await redis.Redis.InspectorAsync()).GetDatabase();
        return (long)await db.StringGetAsync($"broker:rate:{{s:{id}}}");
    }
}
