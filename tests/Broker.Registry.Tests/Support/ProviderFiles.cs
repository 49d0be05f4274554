using Broker.Core.Configuration;

namespace Broker.Registry.Tests.Support;

/// <summary>Provider lists made from real providers.yaml text, through Core's parser.</summary>
public static class ProviderFiles
{
    public static IReadOnlyList<ProviderConfig> Parse(string yaml) => ProvidersFile.Parse(yaml, "providers.yaml");

    public const string TwoProviders = """
        providers:
          soar:
            type: tap
            url: http://127.0.0.1:9001/tap
            title: Solar Orbiter Archive
            capabilities:
              instruments: [EUI, PHI]
              filters: [Instrument, Level, Wave]
            resilience:
              timeout: 10s
            options:
              profile: soar
              columns: { start: begin_time }
          sdac:
            type: soap
            url: http://127.0.0.1:9002/vso
            options:
              provider: SDAC
        """;

    /// <summary><see cref="TwoProviders"/> with soar's url and an option changed, sdac removed, jsoc added.</summary>
    public const string Changed = """
        providers:
          soar:
            type: tap
            url: http://127.0.0.1:9011/tap
            title: Solar Orbiter Archive
            capabilities:
              instruments: [EUI, PHI]
              filters: [Wave, Level, Instrument]
            resilience:
              timeout: 10s
            options:
              profile: soar
              columns: { start: begin_time, end: end_time }
          jsoc:
            type: tap
            url: http://127.0.0.1:9003/tap
        """;
}
