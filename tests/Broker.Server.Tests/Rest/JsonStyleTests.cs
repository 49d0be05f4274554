using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Broker.Core.Providers;

namespace Broker.Server.Tests.Rest;

/// <summary>
/// One JSON style on every REST endpoint: camelCase names, enums as lowercase strings, times ISO 8601 UTC with Z,
/// no .NET TimeSpan text, no nulls, the provider id named <c>id</c> in provider objects.
/// </summary>
public partial class JsonStyleTests
{
    [Fact]
    public async Task EveryEndpoint_WritesOneStyle()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui", "aia").Replace("      instruments:", "      filters: [instrument, wavetype]\n      instruments:"));
        broker.Providers["eui"].Behaviour = _ => Task.FromResult(ScriptedAdapter.Records("eui", 3));
        broker.Providers["aia"].Behaviour = _ => throw new ProviderException("HTTP 500 from aia");

        var search = await SearchApiTests.GetJson(broker, "/api/v1/search?start=2022-03-21&end=2022-03-22&wavemin=17&wavemax=18&waveunit=nm");
        var queryId = search.GetProperty("queryId").GetString();
        var documents = new Dictionary<string, JsonElement>
        {
            ["search"] = search,
            ["providers"] = await SearchApiTests.GetJson(broker, "/api/v1/providers"),
            ["history"] = await SearchApiTests.GetJson(broker, "/api/v1/queries"),
            ["query"] = await SearchApiTests.GetJson(broker, $"/api/v1/queries/{queryId}"),
            ["records"] = await SearchApiTests.GetJson(broker, $"/api/v1/queries/{queryId}/records?limit=2"),
            ["session"] = await SearchApiTests.GetJson(broker, "/api/v1/sessions/current"),
        };
        using (var getData = await broker.Http.PostAsJsonAsync("/api/v1/getdata", new { files = new[] { new { provider = "eui", fileIds = new[] { "eui-0000", "missing-1" } } } }))
            documents["getdata"] = JsonDocument.Parse(await getData.Content.ReadAsStringAsync()).RootElement;

        foreach (var (name, doc) in documents) Check(name, doc);

        var aia = documents["providers"].GetProperty("providers").EnumerateArray().Single(p => p.GetProperty("id").GetString() == "aia");
        Assert.Equal("error", aia.GetProperty("lastStatus").GetString());
        Assert.Equal(["instrument", "wavetype"], documents["providers"].GetProperty("providers")[0].GetProperty("capabilities").GetProperty("filters").EnumerateArray().Select(f => f.GetString()));
        var stored = documents["query"];
        Assert.Equal(search.GetProperty("total").GetInt32(), stored.GetProperty("total").GetInt32());
        Assert.Equal(search.GetProperty("returned").GetInt32(), stored.GetProperty("returned").GetInt32());
        Assert.Equal(search.GetProperty("providers").GetRawText(), stored.GetProperty("providers").GetRawText());
        Assert.Equal(170, stored.GetProperty("query").GetProperty("blocks")[0].GetProperty("waveMin").GetDouble());
        Assert.Equal(search.GetProperty("records")[1].GetRawText(), documents["records"].GetProperty("records")[1].GetRawText());
        var files = documents["getdata"].GetProperty("providers")[0].GetProperty("files");
        Assert.Equal("not-found", files[1].GetProperty("status").GetString());
    }

    private static void Check(string path, JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    Assert.True(CamelCase().IsMatch(p.Name), $"{path}.{p.Name} is not camelCase");
                    Assert.False(p.Name is "providerId" or "recordCount", $"{path}.{p.Name}: the search names these 'id' and 'records'");
                    Assert.False(p.Value.ValueKind == JsonValueKind.Null, $"{path}.{p.Name} is null (absent values are left out)");
                    if (p.Name is "status" or "lastStatus") Assert.Equal(JsonValueKind.String, p.Value.ValueKind);
                    Check($"{path}.{p.Name}", p.Value);
                }
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in e.EnumerateArray()) Check($"{path}[{i++}]", item);
                break;
            case JsonValueKind.String:
                var text = e.GetString()!;
                if (IsoTime().IsMatch(text)) Assert.True(UtcMillis().IsMatch(text), $"{path} = {text}: times are yyyy-MM-ddTHH:mm:ss.fffZ");
                Assert.False(TimeSpanText().IsMatch(text), $"{path} = {text}: durations are numbers named …Ms");
                if (path.EndsWith("status", StringComparison.OrdinalIgnoreCase)) Assert.Equal(text.ToLowerInvariant(), text);
                break;
        }
    }

    [GeneratedRegex("^[a-z][a-zA-Z0-9]*$")] private static partial Regex CamelCase();
    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d")] private static partial Regex IsoTime();
    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")] private static partial Regex UtcMillis();
    [GeneratedRegex(@"^(\d+\.)?\d\d:\d\d:\d\d(\.\d+)?$")] private static partial Regex TimeSpanText();
}
