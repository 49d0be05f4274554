using System.Net;
using System.Net.Http.Json;

namespace Broker.Server.Tests.UserCredentials;

/// <summary>
/// Two sessions with different credentials and an anonymous caller search the same provider: each sees its own restricted
/// records only — never through the shared answer cache, never through another session's stored results.
/// </summary>
public sealed class RestrictedIsolationTests : RestrictedBrokerTest
{
    private async Task<HttpClient> UserAsync(string user)
    {
        var client = Http.Client(Broker.BaseUrl, await Http.NewSessionAsync(Broker.BaseUrl));
        (await client.PutCredentialsAsync("vault", new { username = user, password = RestrictedArchive.Users[user] })).EnsureSuccessStatusCode();
        return client;
    }

    [Fact]
    public async Task Searches_WithCredentials_NeverShareTheCache_OrEachOthersRecords()
    {
        using var anonymous = Http.Client(Broker.BaseUrl, await Http.NewSessionAsync(Broker.BaseUrl));
        using var alice = await UserAsync("alice");
        using var bob = await UserAsync("bob");

        var before = await anonymous.SearchAsync();             // fills the shared cache with the public answer
        var aliceSees = await alice.SearchAsync();
        var bobSees = await bob.SearchAsync();
        var aliceAgain = await alice.SearchAsync();
        var anonymousAfter = await anonymous.SearchAsync();     // from the cache: must not be alice's or bob's answer

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"public-{i:D4}"), before.FileIds);
        Assert.Equal(3, aliceSees.FileIds.Count(id => id.StartsWith("alice-restricted-", StringComparison.Ordinal)));
        Assert.DoesNotContain(aliceSees.FileIds, id => id.StartsWith("bob-", StringComparison.Ordinal));
        Assert.Equal(3, bobSees.FileIds.Count(id => id.StartsWith("bob-restricted-", StringComparison.Ordinal)));
        Assert.DoesNotContain(bobSees.FileIds, id => id.StartsWith("alice-", StringComparison.Ordinal));
        Assert.Equal(aliceSees.FileIds, aliceAgain.FileIds);
        Assert.Equal(before.FileIds, anonymousAfter.FileIds);
        // The anonymous search was asked once and then served from the cache; each credentialed search asked the archive.
        Assert.Equal(4, Archive.RecordCalls);
    }

    [Fact]
    public async Task StoredResults_OfACredentialedSearch_StayInItsSession()
    {
        using var alice = await UserAsync("alice");
        using var bob = await UserAsync("bob");
        var (queryId, ids) = await alice.SearchAsync();
        var restricted = ids.First(id => id.Contains("-restricted-", StringComparison.Ordinal));

        using var ownPage = await alice.GetAsync($"/api/v1/queries/{queryId}/records?limit=100");
        using var bobsPage = await bob.GetAsync($"/api/v1/queries/{queryId}/records?limit=100");
        using var bobsQuery = await bob.GetAsync($"/api/v1/queries/{queryId}");
        var bobsHistory = await (await bob.GetAsync("/api/v1/queries")).JsonAsync();
        // A bare file id routes only through the caller's own stored results.
        using var bobsGetData = await bob.PostAsJsonAsync("/api/v1/getdata", new { fileIds = new[] { restricted } });
        var bobsAnswer = await bobsGetData.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, ownPage.StatusCode);
        Assert.Contains(restricted, await ownPage.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, bobsPage.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, bobsQuery.StatusCode);
        Assert.DoesNotContain(queryId, bobsHistory.ToString());
        Assert.Equal(restricted, Assert.Single(bobsAnswer.GetProperty("unrouted").EnumerateArray()).GetProperty("fileId").GetString());
        Assert.Empty(bobsAnswer.GetProperty("providers").EnumerateArray());
    }

    [Fact]
    public async Task StreamedSearch_WithCredentials_IsTheSessionsOwnToo()
    {
        using var alice = await UserAsync("alice");
        using var bob = await UserAsync("bob");

        var aliceStream = await alice.GetStringAsync("/api/v1/search/stream?start=2022-03-21T00:00:00Z&end=2022-03-22T00:00:00Z&providers=vault");
        var bobStream = await bob.GetStringAsync("/api/v1/search/stream?start=2022-03-21T00:00:00Z&end=2022-03-22T00:00:00Z&providers=vault");
        var queryId = System.Text.RegularExpressions.Regex.Match(aliceStream, "\"queryId\":\"([0-9a-f]+)\"").Groups[1].Value;
        using var bobsPage = await bob.GetAsync($"/api/v1/queries/{queryId}/records");

        Assert.Contains("alice-restricted-0000", aliceStream);
        Assert.DoesNotContain("bob-restricted", aliceStream);
        Assert.Contains("bob-restricted-0000", bobStream);
        Assert.DoesNotContain("alice-restricted", bobStream);
        Assert.NotEmpty(queryId);
        Assert.Equal(HttpStatusCode.NotFound, bobsPage.StatusCode);
    }
}
