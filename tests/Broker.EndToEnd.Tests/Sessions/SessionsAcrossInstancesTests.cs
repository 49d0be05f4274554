using System.Net;
using System.Text.Json;
using Broker.Simulators;

namespace Broker.EndToEnd.Tests.Sessions;

/// <summary>
/// Sessions, stored results and the shared result cache through two real broker instances over one real Redis:
/// whatever one instance stored, the other serves; one session never sees another's queries.
/// </summary>
[Collection(SessionFederationCollection.Name)]
public sealed class SessionsAcrossInstancesTests(SessionFederationFixture f)
{
    [Fact]
    public async Task Session_CreatedOnOneInstance_HistoryPagingAndGetDataWorkOnTheOther()
    {
        var session = await SessionClient.NewSessionAsync(f.A);
        using var onA = new SessionClient(f.A, session);
        using var onB = new SessionClient(f.B, session);

        var (search, searchResponse) = await onA.GetJsonAsync("/api/v1/search?start=2021-02-01T00:00:00Z&end=2021-02-08T00:00:00Z&providers=soar,sdo");
        var queryId = search.GetProperty("queryId").GetString()!;
        var expected = SessionClient.Keys(search.GetProperty("records").EnumerateArray());
        Assert.Equal(session, SessionClient.SessionOf(searchResponse));
        Assert.True(expected.Count > 50, $"the window should hold a few pages of records, got {expected.Count}");
        Assert.Equal(new[] { "sdo", "soar" }, expected.Select(k => k.Provider).Distinct().Order());

        // History on the other instance.
        var (history, historyResponse) = await onB.GetJsonAsync("/api/v1/queries");
        Assert.Equal(session, SessionClient.SessionOf(historyResponse));
        var query = Assert.Single(history.GetProperty("queries").EnumerateArray());
        Assert.Equal(queryId, query.GetProperty("queryId").GetString());
        Assert.Equal(expected.Count, query.GetProperty("returned").GetInt32());
        Assert.Equal(expected.Count, query.GetProperty("stored").GetInt32());

        // Paging on the other instance, following the 'next' links, gives the search's records in the search's order.
        var paged = new List<(string, string)>();
        string? next = $"/api/v1/queries/{queryId}/records?offset=0&limit=17";
        var pages = 0;
        while (next is not null)
        {
            var (page, _) = await onB.GetJsonAsync(next);
            Assert.Equal(expected.Count, page.GetProperty("stored").GetInt32());
            Assert.Equal(paged.Count, page.GetProperty("offset").GetInt32());
            paged.AddRange(SessionClient.Keys(page.GetProperty("records").EnumerateArray()));
            next = page.TryGetProperty("next", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            Assert.True(++pages <= expected.Count / 17 + 1, "the 'next' links must end");
        }
        Assert.Equal(expected, paged);
        var (middle, _) = await onB.GetJsonAsync($"/api/v1/queries/{queryId}/records?offset=20&limit=5");
        Assert.Equal(expected.Skip(20).Take(5).ToList(), SessionClient.Keys(middle.GetProperty("records").EnumerateArray()));
        var (beyond, _) = await onB.GetJsonAsync($"/api/v1/queries/{queryId}/records?offset={expected.Count}&limit=5");
        Assert.Empty(beyond.GetProperty("records").EnumerateArray());

        // GetData with bare file ids on the other instance: routed through the records A stored, and the URLs download.
        var wanted = expected.Where(k => k.Provider == "soar").Take(2).Concat(expected.Where(k => k.Provider == "sdo").Take(2)).ToList();
        using var getData = await onB.PostJsonAsync("/api/v1/getdata", new { fileIds = wanted.Select(k => k.FileId).ToArray(), verify = true });
        var answer = JsonDocument.Parse(await getData.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, getData.StatusCode);
        Assert.Empty(answer.GetProperty("unrouted").EnumerateArray());
        var files = answer.GetProperty("providers").EnumerateArray()
            .SelectMany(p => p.GetProperty("files").EnumerateArray().Select(file => (Provider: p.GetProperty("id").GetString()!, File: file)))
            .ToList();
        Assert.Equal(wanted.Order().ToList(), files.Select(x => (x.Provider, x.File.GetProperty("fileId").GetString()!)).Order().ToList());
        using var download = new HttpClient();
        foreach (var (provider, file) in files)
        {
            Assert.Equal("ok", file.GetProperty("status").GetString());
            var bytes = await download.GetByteArrayAsync(file.GetProperty("url").GetString());
            Assert.Equal(f.Sims.FileContent(provider, file.GetProperty("fileId").GetString()!), bytes);
        }
    }

    [Fact]
    public async Task Sessions_AreIsolated_AnotherSessionsQueryIsNotFound()
    {
        var owner = await SessionClient.NewSessionAsync(f.A);
        var other = await SessionClient.NewSessionAsync(f.B);
        using var ownerOnA = new SessionClient(f.A, owner);
        using var otherOnB = new SessionClient(f.B, other);
        var (search, _) = await ownerOnA.GetJsonAsync("/api/v1/search?start=2021-03-01T00:00:00Z&end=2021-03-04T00:00:00Z&providers=soar");
        var queryId = search.GetProperty("queryId").GetString()!;
        var ids = SessionClient.Keys(search.GetProperty("records").EnumerateArray()).Select(k => k.FileId).Take(3).ToArray();
        Assert.NotEmpty(ids);

        using var query = await otherOnB.SendAsync(HttpMethod.Get, $"/api/v1/queries/{queryId}");
        using var records = await otherOnB.SendAsync(HttpMethod.Get, $"/api/v1/queries/{queryId}/records?offset=0&limit=10");
        var (history, _) = await otherOnB.GetJsonAsync("/api/v1/queries");
        using var getData = await otherOnB.PostJsonAsync("/api/v1/getdata", new { fileIds = ids });
        var answer = JsonDocument.Parse(await getData.Content.ReadAsStringAsync()).RootElement;
        using var ownerQuery = await new SessionClient(f.B, owner).SendAsync(HttpMethod.Get, $"/api/v1/queries/{queryId}");

        Assert.Equal(HttpStatusCode.NotFound, query.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, records.StatusCode);
        Assert.Empty(history.GetProperty("queries").EnumerateArray());
        Assert.Empty(answer.GetProperty("providers").EnumerateArray());
        Assert.Equal(ids, answer.GetProperty("unrouted").EnumerateArray().Select(u => u.GetProperty("fileId").GetString()).ToArray());
        Assert.Equal(HttpStatusCode.OK, ownerQuery.StatusCode);
    }

    [Fact]
    public async Task Cache_AnswerFetchedByOneInstance_IsServedByTheOtherWithoutAskingTheProvider()
    {
        const string url = "/api/v1/search?start=2021-04-01T00:00:00Z&end=2021-04-08T00:00:00Z&providers=soar";
        using var onA = new SessionClient(f.A);
        using var onB = new SessionClient(f.B);
        var before = f.Sims.Calls("soar").SyncQueries;

        var (first, _) = await onA.GetJsonAsync(url);
        var perSearch = f.Sims.Calls("soar").SyncQueries - before;
        var (second, _) = await onB.GetJsonAsync(url);
        var afterHit = f.Sims.Calls("soar").SyncQueries - before;
        var (bypassed, _) = await onB.GetJsonAsync(url, noCache: true);
        var afterBypass = f.Sims.Calls("soar").SyncQueries - before;

        Assert.True(perSearch >= 1, "the first search asks the provider");
        Assert.Equal(perSearch, afterHit);
        Assert.True(FromCache(second, "soar"));
        Assert.False(FromCache(first, "soar"));
        Assert.Equal(SessionClient.Keys(first.GetProperty("records").EnumerateArray()), SessionClient.Keys(second.GetProperty("records").EnumerateArray()));
        Assert.Equal(2 * perSearch, afterBypass);
        Assert.False(FromCache(bypassed, "soar"));
    }

    [Fact]
    public async Task Coalescing_SameSearchOnBothInstancesAtOnce_AsksTheProviderOnce()
    {
        const string url = "/api/v1/search?start=2021-05-01T00:00:00Z&end=2021-05-20T00:00:00Z&providers=slow";
        using var onA = new SessionClient(f.A);
        using var onB = new SessionClient(f.B);
        // One call per search is what a plain search costs (measured on another window, the cache bypassed).
        var probe = f.Sims.Calls("slow").SyncQueries;
        await onA.GetJsonAsync("/api/v1/search?start=2021-06-10T00:00:00Z&end=2021-06-20T00:00:00Z&providers=slow", noCache: true);
        var perSearch = f.Sims.Calls("slow").SyncQueries - probe;
        f.Sims.SetFault("slow", new FaultSpec { Latency = TimeSpan.FromMilliseconds(1500) });
        try
        {
            var before = f.Sims.Calls("slow").SyncQueries;
            var searches = new[] { onA.GetJsonAsync(url), onB.GetJsonAsync(url), onA.GetJsonAsync(url), onB.GetJsonAsync(url) };
            var results = await Task.WhenAll(searches);

            Assert.Equal(perSearch, f.Sims.Calls("slow").SyncQueries - before);
            var keys = results.Select(r => SessionClient.Keys(r.Body.GetProperty("records").EnumerateArray())).ToList();
            Assert.NotEmpty(keys[0]);
            Assert.All(keys, k => Assert.Equal(keys[0], k));
            Assert.All(results, r => Assert.Equal("ok", Status(r.Body, "slow")));
        }
        finally
        {
            f.Sims.SetFault("slow", FaultSpec.None);
        }
    }

    [Fact]
    public async Task RateLimit_CountedAcrossInstances_RejectsWith429AndRetryAfter()
    {
        await using var c = await f.StartBrokerAsync(rateLimit: 3);
        await using var d = await f.StartBrokerAsync(rateLimit: 3);
        var session = await SessionClient.NewSessionAsync(c);
        using var onC = new SessionClient(c, session);
        using var onD = new SessionClient(d, session);
        const string url = "/api/v1/search?start=2021-06-01T00:00:00Z&end=2021-06-02T00:00:00Z&providers=soar";

        await onC.GetJsonAsync(url);
        await onD.GetJsonAsync(url);
        await onC.GetJsonAsync(url);
        using var rejected = await onD.SendAsync(HttpMethod.Get, url);
        var problem = JsonDocument.Parse(await rejected.Content.ReadAsStringAsync()).RootElement;
        var otherSession = await SessionClient.NewSessionAsync(d);
        using var other = await new SessionClient(d, otherSession).SendAsync(HttpMethod.Get, url);

        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        var retryAfter = rejected.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal(3, problem.GetProperty("limit").GetInt32());
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    internal static bool FromCache(JsonElement search, string provider) =>
        Provider(search, provider).TryGetProperty("fromCache", out var c) && c.GetBoolean();

    internal static string Status(JsonElement search, string provider) => Provider(search, provider).GetProperty("status").GetString()!;

    private static JsonElement Provider(JsonElement search, string provider) =>
        search.GetProperty("providers").EnumerateArray().Single(p => p.GetProperty("id").GetString() == provider);
}
