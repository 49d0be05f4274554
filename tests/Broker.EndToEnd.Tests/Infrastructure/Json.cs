using System.Text.Json;

namespace Broker.EndToEnd.Tests.Infrastructure;

internal static class Json
{
    public static async Task<JsonElement> GetAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Dictionary<string, JsonElement> Providers(JsonElement search) =>
        search.GetProperty("providers").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString()!);

    public static string Status(JsonElement search, string provider) => Providers(search)[provider].GetProperty("status").GetString()!;

    public static List<JsonElement> Records(JsonElement search) => search.GetProperty("records").EnumerateArray().ToList();
}
