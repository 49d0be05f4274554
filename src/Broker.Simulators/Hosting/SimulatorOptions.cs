using Microsoft.Extensions.Logging;

namespace Broker.Simulators;

/// <summary>Options of <see cref="SimulatorHost.StartAsync"/>: one loopback listener serving every provider.</summary>
public sealed class SimulatorOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 (default) picks a free port.</summary>
    public int Port { get; init; }

    /// <summary>The simulated providers (names must be unique).</summary>
    public IList<SimulatedProviderOptions> Providers { get; init; } = new List<SimulatedProviderOptions>();

    /// <summary>Clock used for job times (UWS documents).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Logger factory; null = no logging.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// The default set: <c>soar</c> (SOAR-like, 40,000 items), <c>sdo</c> (ObsCore, 30,000 products) and <c>nrh</c>
    /// (EPN-TAP radio heliograph, 20,000 granules), seeds 1–3, 2020–2024.
    /// </summary>
    public static SimulatorOptions CreateDefault(int port = 0) => new()
    {
        Port = port,
        Providers = new List<SimulatedProviderOptions>
        {
            new() { Name = "soar", Kind = SimulatorKind.Soar, Seed = 1, RecordCount = 40_000 },
            new() { Name = "sdo", Kind = SimulatorKind.ObsCore, Seed = 2, RecordCount = 30_000 },
            new() { Name = "nrh", Kind = SimulatorKind.EpnTap, Seed = 3, RecordCount = 20_000, Schema = "nrh" },
        },
    };
}
