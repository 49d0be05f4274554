using Broker.Core.Providers;
using Broker.Core.Search;
using Broker.Core.Services;
using Broker.Providers.Tap.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Broker.Providers.Tap.Tests.Metadata;

public sealed class MetadataCheckTests : IAsyncLifetime
{
    private FakeTapServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeTapServer.StartAsync();
        _server.On("GET /tap/availability", Answer.Xml(Vosi.Availability(true)));
        _server.On("GET /tap/capabilities", Answer.Xml(Vosi.Capabilities(binary2: false)));
        _server.On("POST /tap/sync", Tables.EmptyForQuery("granule_uid", "dataproduct_type", "target_class", "time_min", "time_max",
            "spectral_range_min", "spectral_range_max", "instrument_host_name", "instrument_name", "processing_level", "service_title",
            "access_url", "access_format", "access_estsize"));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private IProviderHealthCheck Check(string options = "profile: soar", IProviderMetadataStore? store = null) =>
        (IProviderHealthCheck)TapHarness.Adapter(_server, options, store);

    [Fact]
    public async Task CheckAsync_AllMappedColumnsPresent_IsHealthyAndSavesMetadata()
    {
        _server.On("GET /tap/tables", Answer.Xml(Vosi.SoarTableset()));
        var store = new InMemoryProviderMetadataStore();

        var problem = await Check(store: store).CheckAsync(default);

        Assert.Null(problem);
        var saved = await store.LoadAsync("p", default);
        Assert.NotNull(saved);
        Assert.Contains(saved.Tables, t => t.Name == "soar.v_sc_data_item" && t.Columns.Any(c => c.Name == "is_active"));
    }

    [Fact]
    public async Task CheckAsync_MissingColumn_ReportsTableAndColumn()
    {
        _server.On("GET /tap/tables", Answer.Xml(Vosi.SoarTableset((t, c) => t == "v_sc_data_item" ? c.Where(n => n != "is_active").ToArray() : c)));

        var problem = await Check().CheckAsync(default);

        Assert.Equal("table soar.v_sc_data_item lacks column is_active", problem);
    }

    [Fact]
    public async Task CheckAsync_MissingTableAndRenamedColumn_ReportsBoth()
    {
        _server.On("GET /tap/tables", Answer.Xml(Vosi.Tableset(("ivoa", "obscore", ["obs_publisher_did", "t_min", "t_max"]))));

        var problem = await Check("profile: epntap\nschema: nrh").CheckAsync(default);

        Assert.Equal("table nrh.epn_core is missing", problem);
        problem = await Check("profile: obscore").CheckAsync(default);
        Assert.StartsWith("table ivoa.obscore lacks column obs_collection; table ivoa.obscore lacks column facility_name", problem);
    }

    [Fact]
    public async Task CheckAsync_ColumnOverride_ChecksTheOverriddenName()
    {
        _server.On("GET /tap/tables", Answer.Xml(Vosi.SoarTableset()));

        var problem = await Check("profile: soar\ncolumns:\n  sensor: sensor_name").CheckAsync(default);

        Assert.Contains("table soar.v_sc_data_item lacks column sensor_name", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_TablesListedWithoutColumns_FetchesEachMappedTable()
    {
        _server.On("GET /tap/tables", Answer.Xml(Vosi.Tableset(("ivoa", "obscore", []))));
        _server.On("GET /tap/tables/ivoa.obscore", Answer.Xml(
            "<vosi:table xmlns:vosi=\"http://www.ivoa.net/xml/VOSITables/v1.0\"><name>ivoa.obscore</name>" +
            "<column><name>obs_publisher_did</name></column></vosi:table>"));

        var problem = await Check("profile: obscore").CheckAsync(default);

        Assert.NotNull(problem);
        Assert.DoesNotContain("obs_publisher_did", problem, StringComparison.Ordinal);
        Assert.Contains("lacks column t_min", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_ServiceSaysUnavailable_ReportsIt()
    {
        _server.On("GET /tap/tables", Answer.Xml(Vosi.SoarTableset()));
        _server.On("GET /tap/availability", Answer.Xml(Vosi.Availability(false, "maintenance until 14:00")));

        var problem = await Check().CheckAsync(default);

        Assert.Equal("p reports itself unavailable: maintenance until 14:00", problem);
    }

    [Fact]
    public async Task CheckAsync_ProviderDown_UsesTheStoredMetadata()
    {
        var store = new InMemoryProviderMetadataStore();
        _server.On("GET /tap/tables", Answer.Xml(Vosi.SoarTableset((t, c) => t == "v_sc_data_item" ? c.Where(n => n != "filesize").ToArray() : c)));
        Assert.NotNull(await Check(store: store).CheckAsync(default));
        _server.On("GET /tap/tables", Answer.Text(503, "down"));

        var problem = await Check(store: store).CheckAsync(default);

        Assert.Equal("table soar.v_sc_data_item lacks column filesize", problem);
    }

    [Fact]
    public async Task CheckAsync_DtdInTables_IsRefusedNotExpanded()
    {
        _server.On("GET /tap/tables", Answer.Xml("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"boom\">]><tableset>&e;</tableset>"));

        // Nothing stored yet: the check cannot judge the mapping and reports no problem rather than guessing.
        Assert.Null(await Check().CheckAsync(default));
    }

    [Fact]
    public async Task CheckAsync_CapabilitiesOfferBinary2_FormatAutoAsksForBinary2()
    {
        _server.On("GET /tap/tables", Answer.Xml(Vosi.SoarTableset()));
        _server.On("GET /tap/capabilities", Answer.Xml(Vosi.Capabilities(binary2: true)));
        var adapter = TapHarness.Adapter(_server, "profile: soar\ninstrumentTables: {}\nmode: sync");

        await adapter.SearchAsync(TapHarness.Jan1, 10, default);
        await ((IProviderHealthCheck)adapter).CheckAsync(default);
        await adapter.SearchAsync(TapHarness.Jan1, 10, default);

        var formats = _server.Received("POST", "/tap/sync").Select(r => r["FORMAT"]).ToList();
        Assert.Equal(["votable", "application/x-votable+xml;serialization=BINARY2"], formats);
    }

    [Fact]
    public async Task Monitor_CheckAsync_MarksProvidersWithBrokenMappingUnhealthy()
    {
        _server.On("GET /tap/tables", Answer.Xml(Vosi.SoarTableset((t, c) => t == "v_sc_data_item" ? c.Where(n => n != "is_active").ToArray() : c)));
        var yaml = TapHarness.Yaml("soar", _server.TapUrl, "profile: soar") + "\n" + TapHarness.Yaml("obs", _server.TapUrl, "profile: obscore")["providers:".Length..];
        var registry = TapHarness.Registry(yaml);
        var monitor = new TapMetadataMonitor(new ProviderCatalog(registry), NullLogger<TapMetadataMonitor>.Instance);

        await monitor.CheckAsync(force: true, default);

        var soar = registry.Find("soar")!;
        Assert.False(soar.IsHealthy);
        Assert.Equal("table soar.v_sc_data_item lacks column is_active", soar.Snapshot().HealthProblem);
        Assert.False(registry.Find("obs")!.IsHealthy);
        _server.On("GET /tap/tables", Answer.Xml(Vosi.SoarTableset()));
        await monitor.CheckAsync(force: true, default);
        Assert.True(soar.IsHealthy);
    }

    [Fact]
    public async Task Monitor_RunAsHostedService_ChecksAtStartUp()
    {
        _server.On("GET /tap/tables", Answer.Xml(Vosi.Tableset()));
        var registry = TapHarness.Registry(TapHarness.Yaml("soar", _server.TapUrl, "profile: soar"));
        using var monitor = new TapMetadataMonitor(new ProviderCatalog(registry), NullLogger<TapMetadataMonitor>.Instance, tick: TimeSpan.FromMilliseconds(50));

        await monitor.StartAsync(default);
        await Broker.Testing.Wait.UntilAsync(() => !registry.Find("soar")!.IsHealthy, "the monitor to mark soar unhealthy");
        await monitor.StopAsync(default);

        // The per-instrument views are optional (a minimal SOAR-like table has none): the main table is what is missing.
        Assert.Equal("table soar.v_sc_data_item is missing", registry.Find("soar")!.Snapshot().HealthProblem);
    }
}
