using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Broker.EndToEnd.Tests.Infrastructure;

namespace Broker.EndToEnd.Tests.Soap;

/// <summary>The REST door's answer to a query, as the set of (provider, file id) the SOAP clients are compared with.</summary>
internal static class RestSearch
{
    public static string Iso(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>GET /api/v1/search with one block given as query parameters.</summary>
    public static async Task<JsonElement> GetAsync(HttpClient http, string query)
    {
        var doc = await Json.GetAsync(http, "/api/v1/search?" + query);
        Assert.False(doc.GetProperty("truncated").GetBoolean(), "the comparison needs the whole answer: " + query);
        return doc;
    }

    /// <summary>POST /api/v1/search with OR-blocks.</summary>
    public static async Task<JsonElement> PostAsync(HttpClient http, params object[] blocks)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/search", new { blocks });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /api/v1/search: {(int)response.StatusCode} {text}");
        var doc = JsonDocument.Parse(text).RootElement.Clone();
        Assert.False(doc.GetProperty("truncated").GetBoolean(), "the comparison needs the whole answer");
        return doc;
    }

    /// <summary>The (provider, fileId) pairs of a REST answer, sorted.</summary>
    public static List<(string Provider, string FileId)> Keys(JsonElement search) =>
        Json.Records(search).Select(r => (r.GetProperty("provider").GetString()!, r.GetProperty("fileId").GetString()!)).Order().ToList();

    /// <summary>The (provider, fileid) pairs a compat script printed, sorted.</summary>
    public static List<(string Provider, string FileId)> Keys(IEnumerable<JsonElement> records) =>
        records.Select(r => (r.GetProperty("provider").GetString()!, r.GetProperty("fileid").GetString()!)).Order().ToList();

    /// <summary>Asserts two record sets are equal, with the differences in the message.</summary>
    public static void AssertSameRecords(IReadOnlyCollection<(string, string)> rest, IReadOnlyCollection<(string, string)> soap, string what)
    {
        var onlyRest = rest.Except(soap).Take(5).ToList();
        var onlySoap = soap.Except(rest).Take(5).ToList();
        Assert.True(onlyRest.Count == 0 && onlySoap.Count == 0 && rest.Count == soap.Count,
            $"{what}: REST {rest.Count} records, SOAP {soap.Count}; only in REST: {string.Join(", ", onlyRest)}; only in SOAP: {string.Join(", ", onlySoap)}");
    }
}
