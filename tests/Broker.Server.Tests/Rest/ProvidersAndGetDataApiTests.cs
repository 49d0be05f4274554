using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Broker.Core.Providers;

namespace Broker.Server.Tests.Rest;

public class ProvidersAndGetDataApiTests
{
    [Fact]
    public async Task Providers_ListsLiveStateIncludingLastError()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui", "aia"));
        broker.Providers["aia"].Behaviour = _ => throw new ProviderException("HTTP 500 from aia");
        await broker.Http.GetAsync("/api/v1/search?start=2022-03-21&end=2022-03-22");

        var doc = await SearchApiTests.GetJson(broker, "/api/v1/providers");

        var aia = doc.GetProperty("providers").EnumerateArray().Single(p => p.GetProperty("id").GetString() == "aia");
        Assert.Equal("HTTP 500 from aia", aia.GetProperty("lastError").GetString());
        Assert.Equal("closed", aia.GetProperty("circuit").GetString());
        Assert.Equal(1, aia.GetProperty("failures").GetInt32());
    }

    [Fact]
    public async Task GetData_FilesGroupedByProvider_ReturnsUrlAndStatusPerFile()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui"));

        var response = await broker.Http.PostAsJsonAsync("/api/v1/getdata", new
        {
            files = new[] { new { provider = "eui", fileIds = new[] { "f1", "missing-2" } }, new { provider = "nope", fileIds = new[] { "x" } } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var groups = doc.GetProperty("providers").EnumerateArray().ToDictionary(g => g.GetProperty("id").GetString()!);
        var files = groups["eui"].GetProperty("files").EnumerateArray().ToList();
        Assert.Equal("ok", files[0].GetProperty("status").GetString());
        Assert.EndsWith("/eui/data/f1", files[0].GetProperty("url").GetString());
        Assert.Equal("not-found", files[1].GetProperty("status").GetString());
        Assert.Equal("partial", groups["eui"].GetProperty("status").GetString());
        Assert.Equal("error", groups["nope"].GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(new[] { "f1", "f2" }, "ok")]
    [InlineData(new[] { "f1", "built-2" }, "unverified")]
    [InlineData(new[] { "built-1", "missing-2" }, "partial")]
    [InlineData(new[] { "missing-1", "missing-2" }, "not-found")]
    public async Task GetData_GroupStatus_SumsUpItsFiles(string[] fileIds, string expected)
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui"));

        var response = await broker.Http.PostAsJsonAsync("/api/v1/getdata", new { files = new[] { new { provider = "eui", fileIds } } });

        var group = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("providers")[0];
        Assert.Equal(expected, group.GetProperty("status").GetString());
        var built = group.GetProperty("files").EnumerateArray().Where(f => f.GetProperty("fileId").GetString()!.StartsWith("built")).ToList();
        Assert.All(built, f => Assert.Equal("unverified", f.GetProperty("status").GetString()));
        Assert.All(built, f => Assert.StartsWith("http://", f.GetProperty("url").GetString()));
        Assert.False(group.GetProperty("files")[0].TryGetProperty("hasUrl", out _));
    }

    [Fact]
    public async Task GetData_EmptyBody_IsProblem400()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui"));

        var response = await broker.Http.PostAsJsonAsync("/api/v1/getdata", new { files = Array.Empty<object>() });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("fileIds", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Health_LiveAndReady()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui"));

        Assert.Equal(HttpStatusCode.OK, (await broker.Http.GetAsync("/health/live")).StatusCode);
        var ready = await SearchApiTests.GetJson(broker, "/health/ready");
        Assert.Equal("healthy", ready.GetProperty("status").GetString());
    }

    [Fact]
    public void Build_BrokenProvidersFile_ListsEveryError()
    {
        var ex = Assert.Throws<Broker.Core.Configuration.ConfigException>(() =>
            TestBroker.Start("providers:\n  a:\n    type: nosuchtype\n    url: http://127.0.0.1:9/\n  b:\n    type: scripted\n    url: nope\n"));
        Assert.Contains("unknown provider type 'nosuchtype'", ex.Message);
        Assert.Contains("providers.b.url", ex.Message);
    }
}
