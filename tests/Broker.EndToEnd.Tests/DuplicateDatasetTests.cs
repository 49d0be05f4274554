using System.Net.Http.Json;
using System.Text.Json;
using Broker.EndToEnd.Tests.Infrastructure;
using Broker.Simulators;
using Broker.Simulators.Faults;

namespace Broker.EndToEnd.Tests;

/// <summary>
/// Two providers serving the same datasets — two ObsCore services with the same publisher DIDs, two SOAR-like services
/// joined by a configured identity — give each dataset once, listing the other provider in <c>alsoAt</c>; GetData falls
/// over to the other provider when the first one fails.
/// </summary>
public sealed class DuplicateDatasetTests : IAsyncLifetime
{
    private const string Window = "start=2022-03-01T00:00:00Z&end=2022-03-11T00:00:00Z";
    private RunningSimulators _sims = null!;
    private BrokerHost _broker = null!;

    public async Task InitializeAsync()
    {
        _sims = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Providers =
            [
                new() { Name = "sdo", Kind = SimulatorKind.ObsCore, Seed = 2, RecordCount = 3_000, StartYear = 2022, EndYear = 2022 },
                new() { Name = "sdo-mirror", Kind = SimulatorKind.ObsCore, Seed = 2, RecordCount = 3_000, StartYear = 2022, EndYear = 2022 },
                new() { Name = "soar", Kind = SimulatorKind.Soar, Seed = 1, RecordCount = 3_000, StartYear = 2022, EndYear = 2022 },
                new() { Name = "soar-mirror", Kind = SimulatorKind.Soar, Seed = 1, RecordCount = 3_000, StartYear = 2022, EndYear = 2022 },
            ],
        });
        string Entry(string id, string profile, string identity = "") =>
            $"  {id}:\n    type: tap\n    url: {_sims.TapUrl(id)}\n{identity}    cache: {{ enabled: false }}\n" +
            $"    resilience: {{ timeout: 10s, retries: 0, breakerMinimumThroughput: 100 }}\n    options: {{ profile: {profile}, mode: sync }}\n";
        const string soarIdentity = "    identity: \"ivo://esavo/soar?{fileId}\"\n";
        _broker = await BrokerHost.StartAsync("providers:\n" + Entry("sdo", "obscore") + Entry("sdo-mirror", "obscore") +
            Entry("soar", "soar", soarIdentity) + Entry("soar-mirror", "soar", soarIdentity),
            new Dictionary<string, string> { ["Sessions:RateLimitPerMinute"] = "0" });
    }

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        await _sims.DisposeAsync();
    }

    [Theory]
    [InlineData("sdo", "sdo-mirror")]
    [InlineData("soar", "soar-mirror")]
    public async Task Search_SameDatasetsAtTwoProviders_EachOnceWithTheOtherInAlsoAt(string primary, string mirror)
    {
        var one = await Json.GetAsync(_broker.Http, $"/api/v1/search?{Window}&providers={primary}&limit=100000");
        var both = await Json.GetAsync(_broker.Http, $"/api/v1/search?{Window}&providers={primary},{mirror}&limit=100000");

        var alone = Json.Records(one).Select(r => r.GetProperty("fileId").GetString()).ToList();
        var merged = Json.Records(both);
        Assert.NotEmpty(alone);
        Assert.Equal(alone, merged.Select(r => r.GetProperty("fileId").GetString()));
        Assert.All(merged, r => Assert.Equal(primary, r.GetProperty("provider").GetString()));
        Assert.All(merged, r => Assert.Equal(
            JsonSerializer.Serialize(new[] { new { provider = mirror, fileId = r.GetProperty("fileId").GetString() } }),
            r.GetProperty("alsoAt").GetRawText()));
        // The total counts datasets (after joining); each provider's line counts what that provider returned.
        Assert.Equal(alone.Count, both.GetProperty("total").GetInt32());
        Assert.Equal(alone.Count, Json.Providers(both)[mirror].GetProperty("records").GetInt32());
        Assert.False(one.GetProperty("records")[0].TryGetProperty("alsoAt", out _));

        // The stored query pages the same joined records.
        var queryId = both.GetProperty("queryId").GetString();
        var page = await Json.GetAsync(_broker.Http, $"/api/v1/queries/{queryId}/records?offset=0&limit=3");
        Assert.Equal(merged[0].GetRawText(), page.GetProperty("records")[0].GetRawText());
    }

    [Fact]
    public async Task GetData_FirstProviderFails_FallsOverToTheOtherProviderOfTheSameDataset()
    {
        var search = await Json.GetAsync(_broker.Http, $"/api/v1/search?{Window}&providers=sdo,sdo-mirror&limit=3");
        var ids = Json.Records(search).Select(r => r.GetProperty("fileId").GetString()!).ToList();
        Assert.Equal(3, ids.Count);
        _sims.SetFault("sdo", new FaultSpec { AlwaysFail = true });
        try
        {
            // Bare ids through the session's records (the primary is sdo), each URL checked: sdo's answer 500.
            using var response = await _broker.Http.PostAsJsonAsync("/api/v1/getdata", new { fileIds = ids, verify = true });
            var group = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("providers").EnumerateArray().Single();

            Assert.Equal("sdo", group.GetProperty("id").GetString());
            Assert.Equal("ok", group.GetProperty("status").GetString());
            var files = group.GetProperty("files").EnumerateArray().ToList();
            Assert.Equal(ids, files.Select(f => f.GetProperty("fileId").GetString()));
            using var download = new HttpClient();
            foreach (var file in files)
            {
                Assert.Equal("ok", file.GetProperty("status").GetString());
                Assert.Equal("sdo-mirror", file.GetProperty("servedBy").GetProperty("provider").GetString());
                Assert.Contains("served by sdo-mirror", file.GetProperty("detail").GetString());
                var bytes = await download.GetByteArrayAsync(file.GetProperty("url").GetString());
                Assert.Equal(_sims.FileContent("sdo-mirror", file.GetProperty("fileId").GetString()!), bytes);
            }
        }
        finally
        {
            _sims.SetFault("sdo", FaultSpec.None);
        }
    }
}
