using System.Net;
using System.Text;

namespace Broker.Server.Tests.Rest;

/// <summary>No input gives a 500: seeded random query strings and JSON bodies get an answer or a problem document.</summary>
public class RandomInputTests
{
    private static readonly string[] Keys =
    [
        "start", "end", "near", "provider", "source", "instrument", "detector", "physobs", "level", "wavemin", "wavemax",
        "waveunit", "wavetype", "extent.type", "extent.x", "pixels", "resolution", "sample", "filter", "limit", "format",
        "providers", "bogus",
    ];

    private static readonly string[] Values =
    [
        "", " ", "2022-03-21", "2022-03-22T00:00:00Z", "20220321000000", "9999-12-31", "0001-01-01", "-1", "0", "1e308",
        "-1e308", "NaN", "Infinity", "1e-320", "171", "19.5", "nm", "keV", "GHz", "m", "Hz", "parsec", "EUI", "eui",
        "EUI' OR '1'='1", "\"; DROP TABLE x; --", "<xml/>", "\u00e9\u2603", "\ud83d\ude00", "json", "csv", "votable",
        new string('A', 300), "%00", "a,b,,c", "L2", "LL02",
    ];

    [Fact]
    public async Task Get_RandomQueryStrings_NeverA500()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui", "aia"));
        broker.Providers["eui"].Behaviour = _ => Task.FromResult(ScriptedAdapter.Records("eui", 3));
        broker.Providers["aia"].Behaviour = _ => Task.FromResult(ScriptedAdapter.Records("aia", 2));
        var random = new Random(20261121);
        var failures = new List<string>();

        for (var i = 0; i < 300; i++)
        {
            var parts = Enumerable.Range(0, random.Next(0, 8)).Select(_ =>
                $"{Keys[random.Next(Keys.Length)]}={Uri.EscapeDataString(Values[random.Next(Values.Length)])}");
            // Most queries start valid, so the random parts reach the engine and the providers, not only validation.
            var valid = random.Next(3) > 0 ? "start=2022-03-21&end=2022-03-22&" : "";
            var url = "/api/v1/search?" + valid + string.Join("&", parts);
            var method = random.Next(4) == 0 ? HttpMethod.Head : HttpMethod.Get;
            using var response = await broker.Http.SendAsync(new HttpRequestMessage(method, url));
            if ((int)response.StatusCode >= 500) failures.Add($"{method} {url} → {(int)response.StatusCode}");
        }

        Assert.Empty(failures);
    }

    [Fact]
    public async Task Post_RandomJsonBodies_NeverA500()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui"));
        broker.Providers["eui"].Behaviour = _ => Task.FromResult(ScriptedAdapter.Records("eui", 3));
        var random = new Random(7);
        var failures = new List<string>();

        for (var i = 0; i < 200; i++)
        {
            var block = (random.Next(3) > 0 ? "\"start\":\"2022-03-21\",\"end\":\"2022-03-22\"," : "") +
                string.Join(",", Enumerable.Range(0, random.Next(0, 6)).Select(_ => $"\"{Keys[random.Next(Keys.Length)]}\":{JsonValue(random)}"));
            block = block.TrimEnd(',');
            var body = random.Next(5) switch
            {
                0 => $"{{\"blocks\":[{{{block}}}],\"limit\":{JsonValue(random)}}}",
                1 => $"{{\"blocks\":{JsonValue(random)}}}",
                2 => $"[{{{block}}}]",
                _ => $"{{\"blocks\":[{{{block}}},{{{block}}}]}}",
            };
            using var response = await broker.Http.PostAsync("/api/v1/search", new StringContent(body, Encoding.UTF8, "application/json"));
            if ((int)response.StatusCode >= 500) failures.Add($"{body} → {(int)response.StatusCode}");
        }

        Assert.Empty(failures);
    }

    private static string JsonValue(Random random) => random.Next(6) switch
    {
        0 => "null",
        1 => random.Next(-5, 5).ToString(System.Globalization.CultureInfo.InvariantCulture),
        2 => "1e400",
        3 => "[1,\"x\"]",
        4 => "{\"min\":1,\"max\":\"2\",\"unit\":\"nm\"}",
        _ => System.Text.Json.JsonSerializer.Serialize(Values[random.Next(Values.Length)]),
    };
}
