using System.Text.Json;
using Broker.Core.Configuration;
using Broker.Core.Providers;
using Broker.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Broker.Server.Tests.Rest;

/// <summary>providers.yaml reloads keep live state and survive broken edits (issue 10, item 4).</summary>
public class ProvidersReloadTests
{
    private static string Yaml(string soarResilience = "      timeout: 1s\n", string euiTitle = "EUI") => $"""
        providers:
          soar:
            type: scripted
            url: http://127.0.0.1:9/soar
            capabilities:
              instruments: [SOAR]
            resilience:
              retries: 0
              breakerMinimumThroughput: 2
              breakerFailureRatio: 0.5
              breakerBreakDuration: 1h
        {soarResilience}  eui:
            type: scripted
            title: {euiTitle}
            url: http://127.0.0.1:9/eui
            capabilities:
              instruments: [EUI]

        """;

    private static async Task<bool> ReloadAsync(TestBroker broker) =>
        await broker.Services.GetServices<IHostedService>().OfType<ProvidersReloader>().Single().ReloadAsync(CancellationToken.None);

    private static async Task<JsonElement> StateAsync(TestBroker broker, string id) =>
        (await SearchApiTests.GetJson(broker, "/api/v1/providers")).GetProperty("providers").EnumerateArray()
            .Single(p => p.GetProperty("id").GetString() == id);

    private static string? Status(JsonElement search, string id) =>
        search.GetProperty("providers").EnumerateArray().Single(p => p.GetProperty("id").GetString() == id).GetProperty("status").GetString();

    [Fact]
    public async Task Reload_UnchangedSettings_KeepsAnOpenCircuitOpenAndCountersIntact_WithoutRebuildingTheAdapter()
    {
        await using var broker = TestBroker.Start(Yaml());
        broker.Providers["soar"].Behaviour = _ => throw new ProviderException("HTTP 500 from soar");
        for (var i = 0; i < 3; i++) await broker.Http.GetAsync("/api/v1/search?start=2022-03-21&end=2022-03-22&instrument=SOAR");
        var before = await StateAsync(broker, "soar");
        Assert.Equal("open", before.GetProperty("circuit").GetString());

        // Only eui's title changes; soar's entry is parsed into new objects with equal content.
        await File.WriteAllTextAsync(broker.ProvidersFile, "# edited\n" + Yaml(euiTitle: "EUI renamed"));
        Assert.True(await ReloadAsync(broker));

        var after = await StateAsync(broker, "soar");
        Assert.Equal("open", after.GetProperty("circuit").GetString());
        Assert.Equal(before.GetProperty("calls").GetInt32(), after.GetProperty("calls").GetInt32());
        Assert.Equal(before.GetProperty("failures").GetInt32(), after.GetProperty("failures").GetInt32());
        Assert.Equal(before.GetProperty("lastError").GetString(), after.GetProperty("lastError").GetString());
        Assert.Equal(1, broker.Providers.Created["soar"]);
        Assert.Equal(2, broker.Providers.Created["eui"]);
        Assert.Equal("EUI renamed", (await StateAsync(broker, "eui")).GetProperty("title").GetString());
        var search = await SearchApiTests.GetJson(broker, "/api/v1/search?start=2022-03-21&end=2022-03-22&instrument=SOAR");
        Assert.Equal("circuit-open", Status(search, "soar"));
    }

    [Fact]
    public async Task Reload_ChangedSettings_StartsThatProviderAfresh()
    {
        await using var broker = TestBroker.Start(Yaml());
        broker.Providers["soar"].Behaviour = _ => throw new ProviderException("HTTP 500 from soar");
        for (var i = 0; i < 3; i++) await broker.Http.GetAsync("/api/v1/search?start=2022-03-21&end=2022-03-22&instrument=SOAR");

        await File.WriteAllTextAsync(broker.ProvidersFile, Yaml("      timeout: 2s\n"));
        Assert.True(await ReloadAsync(broker));

        var after = await StateAsync(broker, "soar");
        Assert.Equal("closed", after.GetProperty("circuit").GetString());
        Assert.Equal(0, after.GetProperty("calls").GetInt32());
    }

    [Theory]
    [InlineData("      timeout: 5ms\n", "providers.soar.resilience.timeout: '5ms' must be from 10ms to 24h")]
    [InlineData("      timeout: 25h\n", "providers.soar.resilience.timeout: '25h' must be from 10ms to 24h")]
    [InlineData("      timeout: 1e300s\n", "providers.soar.resilience.timeout: '1e300s' must be from 10ms to 24h")]
    [InlineData("      timeout: 20h\n", "providers.soar.resilience.timeout: a call with its retries may take")]
    public async Task Reload_ValueThePipelineRefuses_KeepsServingAndSaysSoEverywhere(string resilience, string error)
    {
        await using var broker = TestBroker.Start(Yaml());
        broker.Providers["soar"].Behaviour = _ => Task.FromResult(ScriptedAdapter.Records("soar", 2, "SOAR"));

        await File.WriteAllTextAsync(broker.ProvidersFile, Yaml(resilience + "      retries: 1\n").Replace("      retries: 0\n", "", StringComparison.Ordinal));
        Assert.False(await ReloadAsync(broker));

        var search = await SearchApiTests.GetJson(broker, "/api/v1/search?start=2022-03-21&end=2022-03-22&instrument=SOAR");
        Assert.Equal("ok", Status(search, "soar"));
        var file = (await SearchApiTests.GetJson(broker, "/api/v1/providers")).GetProperty("providersFile");
        Assert.Equal("invalid", file.GetProperty("status").GetString());
        var listed = file.GetProperty("errors")[0].GetString()!;
        Assert.Contains(error, listed);
        Assert.Matches(@"providers\.yaml:1[0-9]: ", listed); // file:line of the key
        var ready = await broker.Http.GetStringAsync("/health/ready");
        Assert.Contains("\"degraded\"", ready);
        Assert.Contains("providers-file", ready);

        await File.WriteAllTextAsync(broker.ProvidersFile, Yaml());
        Assert.True(await ReloadAsync(broker));
        Assert.Equal("loaded", (await SearchApiTests.GetJson(broker, "/api/v1/providers")).GetProperty("providersFile").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("      timeout: 5ms\n")]
    [InlineData("      breakerSamplingDuration: 2d\n")]
    [InlineData("      breakerSamplingDuration: 100ms\n")]
    [InlineData("      concurrency: 0\n")]
    [InlineData("      retryDelay: 9999999999999999h\n")]
    public void Startup_ValueThePipelineRefuses_IsAFileLineErrorNotACrash(string resilience)
    {
        var dir = Directory.CreateTempSubdirectory("broker-test").FullName;
        try
        {
            var file = Path.Combine(dir, "providers.yaml");
            File.WriteAllText(file, Yaml(resilience));

            var ex = Assert.Throws<ConfigException>(() => BrokerApp.Build(["--providers", file, "--urls", "http://127.0.0.1:0"],
                b => b.Services.AddSingleton<IProviderFactory>(new ScriptedFactory())));

            var error = Assert.Single(ex.Errors);
            Assert.Equal(file, error.File);
            Assert.InRange(error.Line, 10, 12);
            Assert.StartsWith("providers.soar.resilience.", error.Key);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
