using System.Text;
using Broker.EndToEnd.Tests.Infrastructure;
using Broker.Simulators;

namespace Broker.EndToEnd.Tests.Soap;

/// <summary>
/// A federation without fault-test providers, for the SOAP door: a SOAP Query cannot pick providers (there is no
/// <c>providers=</c> on the wire), so every provider it reaches must answer the same way every time. Two TAP
/// simulators (SOAR-like and ObsCore with SDO AIA/HMI) and one legacy VSOi SOAP simulator (AIA/HMI products), and one
/// real broker over them.
/// </summary>
public sealed class SoapFederationFixture : IAsyncLifetime
{
    /// <summary>The ObsCore TAP provider (AIA, HMI).</summary>
    public const string Tap = "sdo";
    /// <summary>The legacy VSOi SOAP provider (AIA, HMI; VSO provider name LEGACY).</summary>
    public const string Soap = "legacy";

    /// <summary>A day of 2022 with AIA and HMI records from both the TAP and the SOAP simulator.</summary>
    public static readonly DateTime Start = new(2022, 3, 21, 0, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime End = Start.AddDays(1);

    public RunningSimulators Sims { get; private set; } = null!;
    public BrokerHost Broker { get; private set; } = null!;

    /// <summary>The providers file of <see cref="Broker"/>, for tests that start another broker over the same simulators.</summary>
    public string ProvidersYaml { get; private set; } = null!;

    /// <summary>The settings of <see cref="Broker"/>.</summary>
    public static IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Search:Deadline"] = "00:00:30",
        ["Sessions:RateLimitPerMinute"] = "0",
        // TAP queries without a time range that need only some rows are tried on the simulators' busy day.
        ["Tap:ProbeEnd"] = "2022-03-22T00:00:00Z",
    };

    /// <summary>The WSDL sunpy and zeep start from.</summary>
    public string WsdlUrl => new Uri(Broker.BaseUrl, "soap/VSOi_rpc_literal.wsdl").ToString();

    /// <summary>The IDL/SSW tab-delimited endpoint.</summary>
    public string TabdelimUrl => new Uri(Broker.BaseUrl, "soap/vsoi_tabdelim").ToString();

    public async Task InitializeAsync()
    {
        Sims = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Providers =
            [
                new() { Name = "soar", Kind = SimulatorKind.Soar, Seed = 11, RecordCount = 20_000 },
                new() { Name = Tap, Kind = SimulatorKind.ObsCore, Seed = 12, RecordCount = 100_000 },
                new() { Name = Soap, Kind = SimulatorKind.Vsoi, Seed = 13, RecordCount = 60_000 },
            ],
        });
        var yaml = ProvidersYaml = new StringBuilder("providers:\n")
            .Append($"  soar:\n    type: tap\n    url: {Sims.TapUrl("soar")}\n    resilience: {{ timeout: 10s, retries: 1 }}\n    options: {{ profile: soar, mode: sync }}\n")
            .Append($"  {Tap}:\n    type: tap\n    url: {Sims.TapUrl(Tap)}\n    capabilities: {{ instruments: [AIA, HMI] }}\n" +
                    "    resilience: { timeout: 10s, retries: 1 }\n    options: { profile: obscore, mode: sync }\n")
            .Append($"  {Soap}:\n    type: soap\n    url: {Sims.BaseUrl(Soap)}\n    capabilities: {{ providers: [LEGACY], instruments: [AIA, HMI] }}\n" +
                    "    resilience: { timeout: 10s, retries: 1 }\n    options: { providers: [LEGACY] }\n")
            .ToString();
        Broker = await BrokerHost.StartAsync(yaml, Settings);
    }

    public async Task DisposeAsync()
    {
        await Broker.DisposeAsync();
        await Sims.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SoapFederationCollection : ICollectionFixture<SoapFederationFixture>
{
    public const string Name = "soap-federation";
}
