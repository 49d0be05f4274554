using Broker.EndToEnd.Tests.Infrastructure;
using Broker.Simulators;

namespace Broker.EndToEnd.Tests;

/// <summary>A provider whose VOSI tables lack a mapped column is reported and skipped; the others keep working.</summary>
public sealed class MetadataCheckTests
{
    [Fact]
    public async Task Startup_ProviderWithBrokenMapping_IsReportedAndSkipped()
    {
        await using var sims = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Providers =
            [
                new() { Name = "good", Kind = SimulatorKind.Soar, Seed = 1, RecordCount = 2_000 },
                new() { Name = "broken", Kind = SimulatorKind.Soar, Seed = 2, RecordCount = 2_000,
                        Faults = new FaultSpec { BrokenMetadata = true, MissingColumn = "is_active" } },
            ],
        });
        var yaml = "providers:\n" +
                   $"  good:\n    type: tap\n    url: {sims.TapUrl("good")}\n    options: {{ profile: soar, mode: sync }}\n" +
                   $"  broken:\n    type: tap\n    url: {sims.TapUrl("broken")}\n    options: {{ profile: soar, mode: sync }}\n";
        await using var broker = await BrokerHost.StartAsync(yaml);

        string? problem = null;
        await Broker.Testing.Wait.UntilAsync(async () =>
        {
            var doc = await Json.GetAsync(broker.Http, "/api/v1/providers");
            var state = doc.GetProperty("providers").EnumerateArray().Single(p => p.GetProperty("id").GetString() == "broken");
            problem = state.TryGetProperty("healthProblem", out var h) ? h.GetString() : null;
            return problem is not null;
        }, "the broken provider's health problem on /api/v1/providers");
        Assert.Contains("is_active", problem);

        var search = await Json.GetAsync(broker.Http, "/api/v1/search?start=2022-03-21&end=2022-03-22");
        Assert.Equal("ok", Json.Status(search, "good"));
        Assert.Equal("skipped", Json.Status(search, "broken"));
        Assert.Contains("is_active", Json.Providers(search)["broken"].GetProperty("message").GetString());
        Assert.Equal(0, sims.Calls("broken").SyncQueries);
    }
}
