using System.Net;
using System.Text.Json;
using Broker.Testing;

namespace Broker.Server.Tests.Sessions;

/// <summary>Redis killed, restarted and hung mid-test: searches keep answering, nothing waits on a dead Redis, sessions come back.</summary>
public sealed class RedisOutageTests(SingleRedisFixture redis) : IClassFixture<SingleRedisFixture>, IAsyncLifetime
{
    private readonly CountingAdapter _adapter = new();
    private SessionTestHost _host = null!;

    public async Task InitializeAsync()
    {
        await redis.Server.RestartAsync();
        // A 2 s budget per Redis call (not the 250 ms default): a loaded machine must not look like an outage before the
        // test makes one; the hung Redis below stays paused for 10 s, far longer than the budget.
        _host = await SessionTestHost.StartAsync(_adapter, redis.Settings(("Sessions:RedisMaxBackoff", "00:00:00.500"), ("Sessions:RedisTimeout", "00:00:02")));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await redis.Server.RestartAsync();
    }

    [Fact]
    public async Task Search_WhileRedisIsStopped_AnswersUncachedWithWarning_AndRecoversWhenItReturns()
    {
        var old = await NewSessionAsync();
        var (before, beforeResponse) = await _host.Client(old).SearchAsync("AIA");
        Assert.Null(beforeResponse.Warning());

        await redis.Server.StopAsync();
        for (var i = 0; i < 3; i++)
        {
            var (answer, response) = await _host.Client(old).SearchAsync("AIA");
            Assert.Equal("session store unavailable", response.Warning());
            Assert.Null(response.Session());
            Assert.False(answer.FromCache);
            Assert.Equal(before.Count, answer.Count);
        }
        Assert.Equal("Degraded", await ReadinessAsync());
        using var history = await _host.Client(old).GetAsync("/api/v1/queries");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, history.StatusCode);
        Assert.Equal("application/problem+json", history.Content.Headers.ContentType?.MediaType);

        await redis.Server.RestartAsync();
        await WaitUntilHealthyAsync();
        var (_, after) = await _host.Client(old).SearchAsync("AIA");

        // The restarted Redis kept nothing: the old id is not adopted, a new session is issued and works.
        Assert.Null(after.Warning());
        var renewed = after.Session();
        Assert.NotNull(renewed);
        Assert.NotEqual(old, renewed);
        var queries = (await (await _host.Client(renewed).GetAsync("/api/v1/queries")).JsonAsync()).GetProperty("queries");
        Assert.Single(queries.EnumerateArray());
    }

    [Fact]
    public async Task Search_WhileRedisHangs_DoesNotWaitOnIt_AndTheSessionResumesWithItsHistory()
    {
        var id = await NewSessionAsync();
        var (first, _) = await _host.Client(id).SearchAsync("EUI");
        // Session writes leave the request path: the history this test expects to survive is the one already stored.
        await Wait.UntilAsync(async () => (await (await _host.Client(id).GetAsync("/api/v1/queries")).JsonAsync())
            .GetProperty("queries").EnumerateArray().Any(q => q.GetProperty("queryId").GetString() == first.QueryId),
            "the first search stored in the session's history");

        Assert.Equal("+OK", await redis.Server.CommandAsync("CLIENT PAUSE 10000 ALL"));
        var (_, during) = await _host.Client(id).SearchAsync("EUI");

        // The search gave up on the paused Redis after its 2 s budget instead of waiting the pause out: had it
        // waited, Redis would have answered and there would be no warning.
        Assert.Equal("session store unavailable", during.Warning());

        await WaitUntilHealthyAsync();
        using var resumed = await _host.Client(id).GetAsync("/api/v1/queries");
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        Assert.Equal(id, resumed.Session());
        var queries = (await resumed.JsonAsync()).GetProperty("queries").EnumerateArray().Select(q => q.GetProperty("queryId").GetString());
        Assert.Contains(first.QueryId, queries);
    }

    [Theory]
    [InlineData("READONLY")] // the server was made a replica (as after a failover the client has not followed yet)
    public async Task RedisErrorReplies_AreStoreUnavailable_SearchesGoOnSessionLess_NeverA500(string reply)
    {
        var id = await NewSessionAsync();
        await using var master = reply == "READONLY" ? await Broker.Testing.RedisServer.StartAsync() : null;
        var (fault, repair) = master is null
            ? ("CONFIG SET maxmemory 1", "CONFIG SET maxmemory 0")
            : ($"REPLICAOF 127.0.0.1 {master.Port}", "REPLICAOF NO ONE");
        Assert.Equal("+OK", await redis.Server.CommandAsync("CONFIG SET maxmemory-policy noeviction"));
        Assert.Equal("+OK", await redis.Server.CommandAsync(fault));
        try
        {
            await Wait.UntilAsync(async () => (await redis.Server.CommandAsync("SET broker:probe 1"))?.StartsWith("-" + reply, StringComparison.Ordinal) == true,
                TimeSpan.FromSeconds(30), $"redis-server to answer writes with {reply}");

            var (answer, search) = await _host.Client(id).SearchAsync("AIA"); // throws on any status but 2xx
            using var anonymous = await _host.Client().GetAsync("/api/v1/search?instrument=EIT");
            using var history = await _host.Client(id).GetAsync("/api/v1/queries");
            using var created = await _host.Client().PostAsync("/api/v1/sessions", null);

            Assert.Equal(25, answer.Count);
            Assert.Equal("session store unavailable", search.Warning());
            Assert.Null(search.Session());
            Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
            Assert.Equal("session store unavailable", anonymous.Warning());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, history.StatusCode);
            Assert.Equal("application/problem+json", history.Content.Headers.ContentType?.MediaType);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, created.StatusCode);
        }
        finally
        {
            await redis.Server.CommandAsync(repair);
        }
        // Once Redis takes writes again, so does the broker (its client re-reads the server's role after a refusal).
        await Wait.UntilAsync(async () =>
        {
            using var again = await _host.Client().PostAsync("/api/v1/sessions", null);
            return again.StatusCode == HttpStatusCode.Created;
        }, TimeSpan.FromSeconds(60), "sessions to be issued again");
    }

    private async Task<string> ReadinessAsync()
    {
        var checks = await (await _host.Client().GetAsync("/health/ready")).JsonAsync();
        return Assert.Single(checks.EnumerateArray()).GetProperty("status").GetString()!;
    }

    private Task WaitUntilHealthyAsync() =>
        Wait.UntilAsync(async () => await ReadinessAsync() == "Healthy", "the broker to find Redis again");

    private async Task<string> NewSessionAsync()
    {
        using var response = await _host.Client().PostAsync("/api/v1/sessions", null);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response.Session()!;
    }
}
