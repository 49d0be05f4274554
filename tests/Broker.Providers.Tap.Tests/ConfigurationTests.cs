using Broker.Core.Configuration;
using Broker.Core.Model;
using Broker.Core.Search;
using Broker.Providers.Tap.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Broker.Providers.Tap.Tests;

public sealed class ConfigurationTests
{
    private static readonly Uri Url = new("http://127.0.0.1:9/tap");

    [Fact]
    public void Create_UnknownProfileModeAndColumn_ReportsEveryErrorWithItsKey()
    {
        var yaml = TapHarness.Yaml("p", Url, "profile: sdac\nmode: sometimes\ncolumns:\n  no_such: x\npollInterval: -1s\ntypo: 1");

        var ex = Assert.Throws<ConfigException>(() => TapHarness.Registry(yaml));

        var keys = ex.Errors.Select(e => e.Key).ToList();
        Assert.Contains("providers.p.options.profile", keys);
        Assert.Contains("providers.p.options.mode", keys);
        Assert.Contains("providers.p.options.columns", keys);
        Assert.Contains("providers.p.options.pollInterval", keys);
        Assert.Contains("providers.p.options.typo", keys);
    }

    [Fact]
    public void Create_EpnTapWithoutSchema_IsAnError()
    {
        var ex = Assert.Throws<ConfigException>(() => TapHarness.Registry(TapHarness.Yaml("p", Url, "profile: epntap")));

        Assert.Contains(ex.Errors, e => e.Key == "providers.p.options.schema");
    }

    [Fact]
    public void Capabilities_Soar_DeclaresFiltersNameSourceAndInstruments()
    {
        var caps = TapHarness.Adapter(TapHarness.Yaml("soar", Url, "profile: soar")).Capabilities;

        Assert.Equal(["SOAR"], caps.Providers);
        Assert.Equal(["SOLO"], caps.Sources);
        Assert.Contains("EUI", caps.Instruments);
        Assert.Contains(QueryAttribute.Wave, caps.Filters);
        Assert.DoesNotContain(QueryAttribute.Physobs, caps.Filters);
    }

    [Fact]
    public void Capabilities_DeclaredFilterTheProfileCannotExpress_IsNotClaimed()
    {
        var caps = TapHarness.Adapter(TapHarness.Yaml("o", Url, "profile: obscore",
            "capabilities:\n  filters: [instrument, detector, physobs]")).Capabilities;

        Assert.Equal([QueryAttribute.Instrument], caps.Filters);
    }

    [Fact]
    public void Planner_DetectorOnObsCore_IsSkippedWithTheReasonNotEmpty()
    {
        var registry = TapHarness.Registry(TapHarness.Yaml("o", Url, "profile: obscore"));

        var why = QueryPlanner.WhyNot("o", registry.All[0].Capabilities, TapHarness.Jan1 with { Detector = "HRI" }, out _);

        Assert.Equal("cannot filter on detector: ObsCore has no detector column", why);
    }

    [Fact]
    public void AddTapProviders_CalledTwice_RegistersOneFactoryMonitorAndVerifier()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IProviderCatalog>(new ProviderCatalog(TapHarness.Registry(TapHarness.Yaml("p", Url, "profile: soar"))));

        services.AddTapProviders().AddTapProviders();
        using var provider = services.BuildServiceProvider();

        var factory = Assert.Single(provider.GetServices<IProviderFactory>());
        Assert.Equal("tap", factory.Type);
        Assert.Single(provider.GetServices<IHostedService>().OfType<TapMetadataMonitor>());
        Assert.IsType<HttpUrlVerifier>(provider.GetRequiredService<IUrlVerifier>());
    }
}
