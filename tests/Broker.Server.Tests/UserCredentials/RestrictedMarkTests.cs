using System.Net;
using System.Text.Json;
using Broker.Testing;

namespace Broker.Server.Tests.UserCredentials;

/// <summary>
/// A record the provider returned only because of the caller's credentials says <c>restricted: true</c> on every door
/// that hands records out: the search JSON, the streamed search's provider events and the session's stored results
/// (the VSOi door's <c>info</c> text is checked through zeep in <see cref="SunpyCredentialsTests"/>).
/// </summary>
public sealed class RestrictedMarkTests : RestrictedBrokerTest
{
    private const string Day = "start=2022-03-21T00:00:00Z&end=2022-03-22T00:00:00Z&providers=vault";

    private async Task<HttpClient> AliceAsync()
    {
        var client = Http.Client(Broker.BaseUrl, await Http.NewSessionAsync(Broker.BaseUrl));
        (await client.PutCredentialsAsync("vault", new { username = "alice", password = RestrictedArchive.Users["alice"] })).EnsureSuccessStatusCode();
        return client;
    }

    /// <summary>Each record's file id with whether it says restricted (the member is written only when true).</summary>
    private static Dictionary<string, bool> Marks(JsonElement records) =>
        records.EnumerateArray().ToDictionary(r => r.GetProperty("fileId").GetString()!,
            r => r.TryGetProperty("restricted", out var v) && v.GetBoolean());

    private static void AssertMarkedExactlyTheRestrictedOnes(Dictionary<string, bool> marks, string door)
    {
        Assert.True(marks.Count == 8, $"{door}: {marks.Count} records");
        foreach (var (id, restricted) in marks)
            Assert.True(restricted == id.Contains("-restricted-", StringComparison.Ordinal), $"{door}: {id} restricted={restricted}");
    }

    [Fact]
    public async Task SearchJson_AndStoredResults_MarkTheRestrictedRecords()
    {
        using var alice = await AliceAsync();

        using var search = await alice.GetAsync($"/api/v1/search?{Day}");
        search.EnsureSuccessStatusCode();
        var json = await search.JsonAsync();
        AssertMarkedExactlyTheRestrictedOnes(Marks(json.GetProperty("records")), "search JSON");

        // Session writes are queued off the request path: wait until the stored results are readable.
        var queryId = json.GetProperty("queryId").GetString()!;
        JsonElement stored = default;
        await Wait.UntilAsync(async () =>
        {
            using var page = await alice.GetAsync($"/api/v1/queries/{queryId}/records?offset=0&limit=100");
            if (page.StatusCode != HttpStatusCode.OK) return false;
            stored = await page.JsonAsync();
            return stored.GetProperty("records").GetArrayLength() == 8;
        }, "the search's records are stored in the session");
        AssertMarkedExactlyTheRestrictedOnes(Marks(stored.GetProperty("records")), "stored results");
    }

    [Fact]
    public async Task StreamedSearch_ProviderEventMarksTheRestrictedRecords()
    {
        using var alice = await AliceAsync();

        using var response = await alice.GetAsync($"/api/v1/search/stream?{Day}", HttpCompletionOption.ResponseContentRead);
        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync();

        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Split('\n'))
            .Where(lines => lines.Contains("event: provider"))
            .Select(lines => JsonDocument.Parse(lines.Single(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..]).RootElement)
            .ToList();
        var vault = Assert.Single(events);
        Assert.Equal("vault", vault.GetProperty("id").GetString());
        AssertMarkedExactlyTheRestrictedOnes(Marks(vault.GetProperty("records")), "stream provider event");
    }
}
