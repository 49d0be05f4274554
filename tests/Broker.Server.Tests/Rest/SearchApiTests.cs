using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Broker.Core.Providers;
using Broker.Testing;

namespace Broker.Server.Tests.Rest;

public class SearchApiTests
{
    private const string Day = "start=2022-03-21T00:00:00Z&end=2022-03-22T00:00:00Z";

    [Fact]
    public async Task Get_TwoProviders_ReturnsMergedRecordsAndStatusPerProvider()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui", "aia"));
        broker.Providers["eui"].Behaviour = _ => Task.FromResult(ScriptedAdapter.Records("eui", 3));
        broker.Providers["aia"].Behaviour = _ => Task.FromResult(ScriptedAdapter.Records("aia", 2));

        var doc = await GetJson(broker, $"/api/v1/search?{Day}");

        Assert.Equal(5, doc.GetProperty("total").GetInt32());
        Assert.Equal(5, doc.GetProperty("records").GetArrayLength());
        var first = doc.GetProperty("records")[0];
        Assert.Equal("2022-03-21T00:00:00.000Z", first.GetProperty("start").GetString());
        Assert.Equal("Angstrom", first.GetProperty("waveUnit").GetString());
        var statuses = doc.GetProperty("providers").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString()!, p => p.GetProperty("status").GetString());
        Assert.Equal("ok", statuses["eui"]);
        Assert.Equal("ok", statuses["aia"]);
    }

    [Fact]
    public async Task Get_OneProviderTimesOut_OthersStillAnswerAndStatusSaysTimeout()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui", "aia"));
        broker.Providers["eui"].Behaviour = _ => Task.FromResult(ScriptedAdapter.Records("eui", 3));
        broker.Providers["aia"].Behaviour = async ct => { await Wait.UntilCancelledAsync(ct); return ProviderAnswer.Empty; };

        var doc = await GetJson(broker, $"/api/v1/search?{Day}");

        Assert.Equal(3, doc.GetProperty("total").GetInt32());
        var aia = doc.GetProperty("providers").EnumerateArray().Single(p => p.GetProperty("id").GetString() == "aia");
        Assert.Equal("timeout", aia.GetProperty("status").GetString());
        Assert.Equal(0, aia.GetProperty("records").GetInt32());
    }

    [Fact]
    public async Task Post_OrBlocks_AsksOnlyTheProvidersOfEachBlock()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui", "aia", "hmi"));
        broker.Providers["eui"].Behaviour = _ => Task.FromResult(ScriptedAdapter.Records("eui", 1, "EUI"));
        broker.Providers["aia"].Behaviour = _ => Task.FromResult(ScriptedAdapter.Records("aia", 1, "AIA"));
        var body = new
        {
            blocks = new object[]
            {
                new { start = "2022-03-21", end = "2022-03-22", instrument = "EUI" },
                new { start = "2022-03-21", end = "2022-03-22", instrument = "aia", wave = new { min = 17.1, max = 19.5, unit = "nm" } },
            },
        };

        var response = await broker.Http.PostAsJsonAsync("/api/v1/search", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(2, doc.GetProperty("total").GetInt32());
        Assert.Equal(0, broker.Providers["hmi"].Calls);
        Assert.Equal(171, broker.Providers["aia"].LastBlock!.Wave!.MinAngstrom, 9);
    }

    [Fact]
    public async Task Head_ReturnsCountsInHeadersOnly()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui", "aia"));
        broker.Providers["eui"].Behaviour = _ => Task.FromResult(ScriptedAdapter.Records("eui", 4));
        broker.Providers["aia"].Behaviour = _ => Task.FromResult(ScriptedAdapter.Records("aia", 6));

        var response = await broker.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/v1/search?{Day}&limit=5"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("10", response.Headers.GetValues("VSO-Count-Records").Single());
        Assert.Equal("50", response.Headers.GetValues("VSO-Truncated").Single());
        var perProvider = response.Headers.GetValues("VSO-Count-Provider").Single();
        Assert.Contains("eui=4;exact=true;status=ok", perProvider);
        Assert.Contains("aia=6;exact=true;status=ok", perProvider);
        Assert.Equal("true", response.Headers.GetValues("VSO-Count-Exact").Single());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_FormatCsv_WritesHeaderAndQuotedFields()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui"));
        broker.Providers["eui"].Behaviour = _ => Task.FromResult(ScriptedAdapter.Records("eui", 2, "EUI, \"full\""));

        var response = await broker.Http.GetAsync($"/api/v1/search?{Day}&format=csv");
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.StartsWith("text/csv", response.Content.Headers.ContentType!.ToString());
        Assert.StartsWith("provider,fileId,", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Contains("\"EUI, \"\"full\"\"\"", lines[1]);
    }

    [Theory]
    [InlineData("start=2022-03-23&end=2022-03-22", "after end")]
    [InlineData("start=2022-03-21&end=2022-03-22&wavemin=1&waveunit=parsec", "unknown wavelength unit")]
    [InlineData("start=2022-03-21&end=2022-03-22&instrumnet=EUI", "unknown parameter")]
    [InlineData("start=2022-03-21&end=2022-03-22&limit=-3", "limit")]
    [InlineData("start=2022-03-21&end=2022-03-22&format=fits", "format")]
    [InlineData("end=2022-03-22", "start is required")]
    [InlineData("start=2022-03-21&end=2022-03-22&instrument=NOPE", "No provider can answer")]
    public async Task Get_BadInput_IsProblemJson400WithAMessage(string query, string expected)
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui"));

        var response = await broker.Http.GetAsync($"/api/v1/search?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_WaveTypeOnly_IsAnOpenRangeThatWorks()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui"));
        broker.Providers["eui"].Behaviour = _ => Task.FromResult(ScriptedAdapter.Records("eui", 2));

        var response = await broker.Http.GetAsync($"/api/v1/search?{Day}&wavetype=NARROW");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("NARROW", broker.Providers["eui"].LastBlock!.Wave!.WaveType);
    }

    [Fact]
    public async Task Get_WavelengthBeyondDoubleRange_IsA400NotA500()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui"));

        var response = await broker.Http.GetAsync($"/api/v1/search?{Day}&wavemin=1e308&wavemax=1e308&waveunit=m");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("outside what can be represented", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Post_BodyOverTheLimit_Is413ProblemJson()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui"));
        var body = "{" + string.Concat(Enumerable.Repeat("\"a\":1,", 300_000)) + "\"b\":2}";

        var response = await broker.Http.PostAsync("/api/v1/search", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"blocks\":[{\"start\":{\"deep\":[1]}}]}")]
    [InlineData("{\"blocks\":[],\"colour\":1}")]
    [InlineData("{\"blocks\":[]}")]
    public async Task Post_MalformedBody_IsProblemJson400(string body)
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui"));

        var response = await broker.Http.PostAsync("/api/v1/search", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Get_ClientDisconnects_ProviderCallIsCancelled()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui"));
        var started = new TaskCompletionSource();
        broker.Providers["eui"].Behaviour = async ct => { started.TrySetResult(); await Wait.UntilCancelledAsync(ct); return ProviderAnswer.Empty; };
        broker.Providers["eui"].Capabilities = broker.Providers["eui"].Capabilities;
        using var cts = new CancellationTokenSource();

        var request = broker.Http.GetAsync($"/api/v1/search?{Day}", cts.Token);
        await started.Task.WaitAsync(Wait.DefaultTimeout); // a hang bound for a loaded machine, not a timing claim
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);

        await Wait.UntilAsync(() => broker.Providers["eui"].Cancelled > 0, "the provider call to be cancelled");
        Assert.Equal(1, broker.Providers["eui"].Cancelled);
    }

    [Fact]
    public async Task OpenApi_DocumentIsServed()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui"));

        var doc = await GetJson(broker, "/openapi/v1.json");

        Assert.True(doc.GetProperty("paths").TryGetProperty("/api/v1/search", out _));
    }

    internal static async Task<JsonElement> GetJson(TestBroker broker, string url)
    {
        var response = await broker.Http.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }
}
