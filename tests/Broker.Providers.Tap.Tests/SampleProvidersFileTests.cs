using Broker.Providers.Tap.Tests.Fakes;

namespace Broker.Providers.Tap.Tests;

/// <summary>The sample entries given in the report parse and build (no network call is made at creation).</summary>
public sealed class SampleProvidersFileTests
{
    public const string Sample = """
        providers:
          soar:
            type: tap
            url: https://soar.esac.esa.int/soar-sl-tap/tap
            title: ESA Solar Orbiter Archive
            resilience: { timeout: 60s, retries: 1, maxRecords: 5000 }
            options:
              profile: soar
              mode: auto
              format: auto
              asyncThreshold: 20000
              waveUnits: { EUI: Angstrom, METIS: nm, SPICE: nm, PHI: Angstrom, SOLOHI: nm }
          bass2000:
            type: tap
            url: http://voparis-tap-helio.obspm.fr/tap
            options:
              profile: epntap
              schema: bass2000
              syncPath: /__system__/tap/run/sync
              asyncPath: /__system__/tap/run/async
              dataUrlHosts: [bass2000.obspm.fr]
          obscore-demo:
            type: tap
            url: http://127.0.0.1:8090/tap
            options:
              profile: obscore
              mode: sync
              format: binary2
        """;

    [Fact]
    public void Registry_SampleFile_BuildsThreeTapProviders()
    {
        var registry = TapHarness.Registry(Sample);

        Assert.Equal(["soar", "bass2000", "obscore-demo"], registry.All.Select(p => p.Id));
        Assert.All(registry.All, p => Assert.IsType<TapProviderAdapter>(p.Adapter));
        var bass = (TapProviderAdapter)registry.Find("bass2000")!.Adapter;
        Assert.Equal("bass2000.epn_core", bass.Options.Table);
        Assert.Contains("bass2000.obspm.fr", bass.DataUrlHosts);
    }
}
