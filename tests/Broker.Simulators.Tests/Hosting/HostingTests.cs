using System.Net;
using System.Xml.Linq;

namespace Broker.Simulators.Tests.Hosting;

public sealed class HostingTests(SimulatorFixture sim) : IClassFixture<SimulatorFixture>
{
    [Fact]
    public void BaseUrl_IsLoopbackWithProviderPrefix()
    {
        Assert.Equal($"http://127.0.0.1:{sim.Running.Port}/soar/tap", sim.Running.BaseUrl("soar"));
        Assert.Equal($"http://127.0.0.1:{sim.Running.Port}/soar/data", sim.Running.DataUrl("soar"));
        Assert.Throws<KeyNotFoundException>(() => sim.Running.BaseUrl("nope"));
    }

    [Fact]
    public async Task Tables_ListsEveryTableAndColumn()
    {
        var doc = XDocument.Parse(await sim.Http.GetStringAsync(sim.Running.BaseUrl("soar") + "/tables"));
        var tables = doc.Descendants("table").Select(t => t.Element("name")!.Value).ToList();

        Assert.Contains("soar.v_sc_data_item", tables);
        Assert.Contains("soar.v_spi_sc_fits", tables);
        var items = doc.Descendants("table").Single(t => t.Element("name")!.Value == "soar.v_sc_data_item");
        Assert.Contains("begin_time", items.Elements("column").Select(c => c.Element("name")!.Value));
    }

    [Fact]
    public async Task Capabilities_AndAvailability_AreVosiDocuments()
    {
        var caps = await sim.Http.GetStringAsync(sim.Running.BaseUrl("nrh") + "/capabilities");
        var availability = XDocument.Parse(await sim.Http.GetStringAsync(sim.Running.BaseUrl("nrh") + "/availability"));

        Assert.Contains("standardID=\"ivo://ivoa.net/std/TAP\"", caps, StringComparison.Ordinal);
        Assert.Contains(sim.Running.BaseUrl("nrh"), caps, StringComparison.Ordinal);
        Assert.Equal("true", availability.Root!.Elements().First().Value);
    }

    [Fact]
    public async Task UnknownProvider_Returns404()
    {
        var response = await sim.Http.GetAsync(sim.Running.RootUrl + "nope/tap/sync");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_Throw()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => SimulatorHost.StartAsync(new SimulatorOptions
        {
            Providers = [new SimulatedProviderOptions { Name = "a" }, new SimulatedProviderOptions { Name = "A" }],
        }));
        await Assert.ThrowsAsync<ArgumentException>(() => SimulatorHost.StartAsync(new SimulatorOptions
        {
            Providers = [new SimulatedProviderOptions { Name = "a/b" }],
        }));
        await Assert.ThrowsAsync<ArgumentException>(() => SimulatorHost.StartAsync(new SimulatorOptions
        {
            Providers = [new SimulatedProviderOptions { Name = "x", StartYear = 2025, EndYear = 2020 }],
        }));
    }

    [Fact]
    public void ConfigFile_ParsesProvidersAndFaults()
    {
        var options = SimulatorConfigFile.Parse("""
            port: 8091
            providers:
              - name: slow
                kind: bench
                records: 1000
                faults:
                  latencyMs: 50
                  errorRate: 0.25
            """);

        var p = Assert.Single(options.Providers);
        Assert.Equal(8091, options.Port);
        Assert.Equal(SimulatorKind.Bench, p.Kind);
        Assert.Equal(TimeSpan.FromMilliseconds(50), p.Faults.Latency);
        Assert.Equal(0.25, p.Faults.ErrorRate);
        Assert.Throws<FormatException>(() => SimulatorConfigFile.Parse("providers:\n  - name: x\n    kind: nope\n"));
        Assert.Throws<FormatException>(() => SimulatorConfigFile.Parse("providers:\n  - name: x\n    colour: red\n"));
    }
}
