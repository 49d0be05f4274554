using System.Net;
using System.Text.Json;

namespace Broker.EndToEnd.Tests.Sessions;

/// <summary>Redis killed under two running brokers and started again: searches never stop, sessions come back.</summary>
[Collection(SessionFederationCollection.Name)]
public sealed class RedisOutageTests(SessionFederationFixture f)
{
    [Fact]
    public async Task RedisDown_SearchesAnswerWithWarningAndReadinessDegraded_SessionsResumeAfterRestart()
    {
        const string window = "start=2021-08-01T00:00:00Z&end=2021-08-05T00:00:00Z";
        var before = await SessionClient.NewSessionAsync(f.A);
        using var beforeOnA = new SessionClient(f.A, before);
        await beforeOnA.GetJsonAsync($"/api/v1/search?{window}&providers=soar");

        await f.Redis.StopAsync();
        try
        {
            foreach (var host in new[] { f.A, f.B })
            {
                using var client = new SessionClient(host, before);
                var soarCalls = f.Sims.Calls("soar").SyncQueries;
                var (search, response) = await client.GetJsonAsync($"/api/v1/search?{window}&providers=soar,sdo");
                Assert.Equal("session store unavailable", SessionClient.Warning(response));
                Assert.Null(SessionClient.SessionOf(response)); // session-less, and no new session pretended
                Assert.Equal("ok", SessionsAcrossInstancesTests.Status(search, "soar"));
                Assert.Equal("ok", SessionsAcrossInstancesTests.Status(search, "sdo"));
                Assert.NotEmpty(search.GetProperty("records").EnumerateArray());
                Assert.False(SessionsAcrossInstancesTests.FromCache(search, "soar"), "with Redis down the cache is skipped");
                Assert.True(f.Sims.Calls("soar").SyncQueries > soarCalls);

                using var history = await client.SendAsync(HttpMethod.Get, "/api/v1/queries");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, history.StatusCode);
                Assert.NotNull(history.Headers.RetryAfter);

                var ready = await ReadinessAsync(host);
                Assert.Equal("degraded", ready.GetProperty("status").GetString());
                Assert.Equal("degraded", Check(ready, "redis").GetProperty("status").GetString());
            }
        }
        finally
        {
            await f.Redis.RestartAsync();
        }

        foreach (var host in new[] { f.A, f.B })
            await Until(async () => Check(await ReadinessAsync(host), "redis").GetProperty("status").GetString() == "healthy", "redis healthy again");

        // Sessions work again across both instances (the restarted Redis kept nothing: no persistence in tests).
        var after = await SessionClient.NewSessionAsync(f.B);
        using var afterOnA = new SessionClient(f.A, after);
        using var afterOnB = new SessionClient(f.B, after);
        var (again, againResponse) = await afterOnA.GetJsonAsync($"/api/v1/search?{window}&providers=soar");
        var (history2, _) = await afterOnB.GetJsonAsync("/api/v1/queries");
        Assert.Null(SessionClient.Warning(againResponse));
        Assert.Equal(after, SessionClient.SessionOf(againResponse));
        Assert.Equal(again.GetProperty("queryId").GetString(), Assert.Single(history2.GetProperty("queries").EnumerateArray()).GetProperty("queryId").GetString());

        // The pre-outage id is gone with the data; it is not adopted again, a fresh session is issued instead.
        using var old = await beforeOnA.SendAsync(HttpMethod.Get, "/api/v1/queries");
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        Assert.NotEqual(before, SessionClient.SessionOf(old));
    }

    private static async Task<JsonElement> ReadinessAsync(Infrastructure.BrokerHost host)
    {
        using var client = new SessionClient(host);
        using var response = await client.SendAsync(HttpMethod.Get, "/health/ready");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static JsonElement Check(JsonElement ready, string name) =>
        ready.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    internal static Task Until(Func<Task<bool>> condition, string what) => Broker.Testing.Wait.UntilAsync(condition, what);
}
