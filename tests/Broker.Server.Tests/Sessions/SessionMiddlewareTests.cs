using System.Net;
using System.Net.Http.Json;
using System.Text;
using Broker.Server.Sessions;
using Broker.Sessions;
using Broker.Testing;

namespace Broker.Server.Tests.Sessions;

/// <summary>The session middleware and API on one Redis, a Redis Cluster and behind Sentinels.</summary>
public abstract class SessionMiddlewareTests(RedisTopologyFixture redis) : IAsyncLifetime
{
    public sealed class OnSingleRedis(SingleRedisFixture redis) : SessionMiddlewareTests(redis), IClassFixture<SingleRedisFixture>;

    [Collection(RedisClusterCollection.Name)]
    public sealed class OnRedisCluster(RedisClusterFixture redis) : SessionMiddlewareTests(redis);

    [Collection(RedisSentinelCollection.Name)]
    public sealed class OnRedisSentinel(RedisSentinelFixture redis) : SessionMiddlewareTests(redis);

    /// <summary>
    /// Functional tests allow a loaded CI machine a generous Redis budget (2 s once ran out at load 16 and made a
    /// request session-less); the outage tests use the real default.
    /// </summary>
    internal const string FunctionalTimeout = "00:00:10";

    private readonly CountingAdapter _adapter = new();
    private SessionTestHost _host = null!;

    public async Task InitializeAsync()
    {
        await redis.Redis.FlushAsync();
        _host = await SessionTestHost.StartAsync(_adapter, redis.Settings(("Sessions:RateLimitPerMinute", "1000"), ("Sessions:RedisTimeout", FunctionalTimeout)));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Request_WithoutSession_IssuesIdAsHeaderAndHttpOnlyCookie()
    {
        using var response = await _host.Client().GetAsync("/api/v1/queries");

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var id = response.Session();
        Assert.True(SessionId.IsWellFormed(id), $"'{id}' is not a 128-bit hex id");
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith($"vso_session={id};", cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Null(response.Warning());
    }

    [Fact]
    public async Task Request_WithLiveSessionInHeaderOrCookie_KeepsIt()
    {
        using var first = await _host.Client().GetAsync("/api/v1/queries");
        var id = first.Session()!;

        using var byHeader = await _host.Client(id).GetAsync("/api/v1/queries");
        using var cookieRequest = new HttpRequestMessage(HttpMethod.Get, "/api/v1/queries");
        cookieRequest.Headers.Add("Cookie", $"vso_session={id}");
        using var byCookie = await _host.Client().SendAsync(cookieRequest);

        Assert.Equal(id, byHeader.Session());
        Assert.Equal(id, byCookie.Session());
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")] // well-formed but never issued
    [InlineData("not-a-session")]
    [InlineData("../../etc/passwd")]
    public async Task Request_WithUnknownSessionId_IsNotAdoptedAndGetsANewOne(string chosen)
    {
        using var response = await _host.Client(chosen).GetAsync("/api/v1/queries");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(chosen, response.Session());
        Assert.True(SessionId.IsWellFormed(response.Session()));
    }

    [Fact]
    public async Task Queries_OfAnotherSession_AreNotFound()
    {
        var a = await NewSessionAsync();
        var b = await NewSessionAsync();
        var (search, _) = await _host.Client(a).SearchAsync("AIA");

        using var own = await _host.Client(a).GetAsync($"/api/v1/queries/{search.QueryId}");
        using var foreign = await _host.Client(b).GetAsync($"/api/v1/queries/{search.QueryId}");
        using var foreignRecords = await _host.Client(b).GetAsync($"/api/v1/queries/{search.QueryId}/records");
        var historyA = await (await _host.Client(a).GetAsync("/api/v1/queries")).JsonAsync();
        var historyB = await (await _host.Client(b).GetAsync("/api/v1/queries")).JsonAsync();

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal("application/problem+json", foreign.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, foreignRecords.StatusCode);
        Assert.Equal(search.QueryId, Assert.Single(historyA.GetProperty("queries").EnumerateArray()).GetProperty("queryId").GetString());
        Assert.Empty(historyB.GetProperty("queries").EnumerateArray());
    }

    [Fact]
    public async Task History_HoldsStatusesAndCounts_NewestFirst()
    {
        var id = await NewSessionAsync();
        var (first, _) = await _host.Client(id).SearchAsync("EUI");
        var (second, _) = await _host.Client(id).SearchAsync("SWAP");

        var history = (await (await _host.Client(id).GetAsync("/api/v1/queries")).JsonAsync()).GetProperty("queries").EnumerateArray().ToList();

        Assert.Equal([second.QueryId, first.QueryId], history.Select(q => q.GetProperty("queryId").GetString()));
        var provider = Assert.Single(history[0].GetProperty("providers").EnumerateArray());
        Assert.Equal("fake", provider.GetProperty("id").GetString());
        Assert.Equal("ok", provider.GetProperty("status").GetString());
        Assert.Equal(25, provider.GetProperty("records").GetInt32());
        Assert.Equal("SWAP", history[0].GetProperty("query").GetProperty("blocks")[0].GetProperty("instrument").GetString());
    }

    [Fact]
    public async Task Records_PageThroughStoredResult_WithoutAskingTheProviderAgain()
    {
        var id = await NewSessionAsync();
        var (search, _) = await _host.Client(id).SearchAsync("HMI");
        var calls = _adapter.Searches;

        var pages = new List<string>();
        var next = $"/api/v1/queries/{search.QueryId}/records?offset=0&limit=10";
        var totals = new List<int>();
        while (next is not null)
        {
            using var response = await _host.Client(id).GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.JsonAsync();
            totals.Add(page.GetProperty("stored").GetInt32());
            pages.AddRange(page.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("fileId").GetString()!));
            next = page.TryGetProperty("next", out var n) ? n.GetString() : null;
        }

        Assert.Equal(search.Records.Select(r => r.FileId), pages);
        Assert.All(totals, t => Assert.Equal(25, t));
        Assert.Equal(calls, _adapter.Searches);
    }

    [Theory]
    [InlineData("offset=-1")]
    [InlineData("offset=abc")]
    [InlineData("limit=0")]
    [InlineData("limit=100000")]
    public async Task Records_WithBadPaging_AreBadRequestProblems(string query)
    {
        var id = await NewSessionAsync();
        var (search, _) = await _host.Client(id).SearchAsync("AIA");

        using var response = await _host.Client(id).GetAsync($"/api/v1/queries/{search.QueryId}/records?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task GetData_RoutesFileIdsThroughTheStoredProvider_OnlyForTheSessionThatSawThem()
    {
        var a = await NewSessionAsync();
        var b = await NewSessionAsync();
        var (search, _) = await _host.Client(a).SearchAsync("AIA");
        var ids = search.Records.Take(3).Select(r => r.FileId).Append("never-seen").ToList();

        var own = await GetDataAsync(a, ids);
        var foreign = await GetDataAsync(b, ids);

        Assert.All(own.Take(3), f => Assert.Equal(("fake", "Ok"), (f.Provider, f.Status)));
        Assert.Equal("Unrouted", own.Single(f => f.FileId == "never-seen").Status);
        Assert.All(foreign, f => Assert.Equal("Unrouted", f.Status));
    }

    [Fact]
    public async Task SharedCache_AnswersAnIdenticalQueryOfAnotherSession_UnlessNoCache()
    {
        var before = _adapter.Searches;
        var (first, _) = await _host.Client(await NewSessionAsync()).SearchAsync("LASCO");
        var (second, _) = await _host.Client(await NewSessionAsync()).SearchAsync("LASCO");
        var afterHit = _adapter.Searches;
        var (bypassed, _) = await _host.Client(await NewSessionAsync()).SearchAsync("LASCO", noCache: true);

        Assert.False(first.FromCache);
        Assert.True(second.FromCache);
        Assert.Equal(first.Records.Select(r => r.FileId), second.Records.Select(r => r.FileId));
        Assert.Equal(before + 1, afterHit);
        Assert.False(bypassed.FromCache);
        Assert.Equal(afterHit + 1, _adapter.Searches);
    }

    [Fact]
    public async Task CreateAndDelete_ExplicitSession_EndsItAndItIsNotAdoptedAfterwards()
    {
        using var created = await _host.Client().PostAsync("/api/v1/sessions", null);
        var body = await created.JsonAsync();
        var id = body.GetProperty("sessionId").GetString()!;

        using var deleted = await _host.Client(id).DeleteAsync("/api/v1/sessions/current");
        using var again = await _host.Client(id).DeleteAsync($"/api/v1/sessions/{id}");
        using var after = await _host.Client(id).GetAsync("/api/v1/queries");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(id, created.Session());
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Contains(deleted.Headers.GetValues("Set-Cookie"), c => c.StartsWith("vso_session=;", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode); // an ended id names no session of this caller
        Assert.NotEqual(id, after.Session());
    }

    [Fact]
    public async Task Delete_OfAnotherCallersSession_IsForbidden_AndTheSessionLivesOn()
    {
        var victim = await NewSessionAsync();
        var attacker = await NewSessionAsync();

        using var byName = await _host.Client(attacker).DeleteAsync($"/api/v1/sessions/{victim}");
        using var withoutCredential = await _host.Client().DeleteAsync($"/api/v1/sessions/{victim}");
        using var stillThere = await _host.Client(victim).GetAsync("/api/v1/sessions/current");
        using var ownEnd = await _host.Client(victim).DeleteAsync($"/api/v1/sessions/{victim}");

        Assert.Equal(HttpStatusCode.Forbidden, byName.StatusCode);
        Assert.Equal("application/problem+json", byName.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, withoutCredential.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
        Assert.Equal(victim, stillThere.Session());
        Assert.Equal(HttpStatusCode.NoContent, ownEnd.StatusCode);
    }

    [Fact]
    public async Task Soap_SessionInInfoRequired_IsAdopted_UnknownOneIsNot()
    {
        var id = await NewSessionAsync();
        static string Envelope(string session) => $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body>
            <GetData xmlns="http://virtualsolar.org/VSO/VSOi"><request><request><info><email>x</email><required>{session}</required></info></request></request></GetData>
            </SOAP-ENV:Body></SOAP-ENV:Envelope>
            """;

        using var known = await _host.Client().PostAsync("/soap", new StringContent(Envelope(id), Encoding.UTF8, "text/xml"));
        using var unknown = await _host.Client().PostAsync("/soap", new StringContent(Envelope("0123456789abcdef0123456789abcdef"), Encoding.UTF8, "text/xml"));
        using var doctype = await _host.Client().PostAsync("/soap", new StringContent("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>", Encoding.UTF8, "text/xml"));

        Assert.Equal(id, await known.Content.ReadAsStringAsync());
        Assert.NotEqual("0123456789abcdef0123456789abcdef", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, doctype.StatusCode);
    }

    [Fact]
    public async Task Readiness_WithRedisUp_IsHealthy()
    {
        var checks = await (await _host.Client().GetAsync("/health/ready")).JsonAsync();

        Assert.Equal("Healthy", Assert.Single(checks.EnumerateArray()).GetProperty("status").GetString());
    }

    private async Task<string> NewSessionAsync()
    {
        using var response = await _host.Client().PostAsync("/api/v1/sessions", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return response.Session()!;
    }

    private async Task<List<GetDataFile>> GetDataAsync(string session, IReadOnlyList<string> ids)
    {
        using var response = await _host.Client(session).PostAsJsonAsync("/api/v1/getdata", new GetDataInput(ids));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<List<GetDataFile>>(SessionResponses.Json))!;
    }
}
