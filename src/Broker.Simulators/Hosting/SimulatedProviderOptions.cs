namespace Broker.Simulators;

/// <summary>One simulated provider: its name (URL prefix), kind, generated data and faults.</summary>
public sealed class SimulatedProviderOptions
{
    /// <summary>Provider name, also the URL prefix: <c>http://127.0.0.1:PORT/{Name}/tap</c>. Letters, digits, '-', '_'.</summary>
    public required string Name { get; init; }

    /// <summary>Wire shape of the provider.</summary>
    public SimulatorKind Kind { get; init; } = SimulatorKind.Soar;

    /// <summary>Seed of the data generator; the same seed gives the same rows every run.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Number of records (data items / granules) to generate. Default 20,000; up to ~1e6 for benchmarks.</summary>
    public int RecordCount { get; init; } = 20_000;

    /// <summary>First year covered (inclusive). Default 2020.</summary>
    public int StartYear { get; init; } = 2020;

    /// <summary>Last year covered (inclusive). Default 2024.</summary>
    public int EndYear { get; init; } = 2024;

    /// <summary>EPN-TAP schema name (default <c>nrh</c>, a radio heliograph; a name containing <c>bass</c> gives a
    /// BASS2000-like optical service). Ignored by other kinds.</summary>
    public string? Schema { get; init; }

    /// <summary>Start of the window of a <see cref="SimulatorKind.Bench"/> provider (default 2022-01-01T00:00Z).</summary>
    public DateTime BenchWindowStart { get; init; } = new(2022, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Length of the window of a <see cref="SimulatorKind.Bench"/> provider (default one hour).</summary>
    public TimeSpan BenchWindowLength { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Rows returned when the client sends no MAXREC (the service's default output limit).</summary>
    public int DefaultMaxRec { get; init; } = 100_000;

    /// <summary>Largest MAXREC honoured (hard output limit).</summary>
    public int HardMaxRec { get; init; } = 2_000_000;

    /// <summary>
    /// Render each distinct sync query once and send the same bytes again afterwards (benchmarks: the simulator's own
    /// ADQL evaluation and VOTable writing then cost almost nothing, so the broker's CPU is what is measured).
    /// </summary>
    public bool PreRendered { get; init; }

    /// <summary>
    /// Credentials the provider wants. With a scheme, a third of the rows (and their files) are restricted: their
    /// <c>data_rights</c> column says <c>proprietary</c> and only a caller with valid credentials sees or downloads them;
    /// the others say <c>public</c>.
    /// </summary>
    public Auth.SimulatedAuthScheme Auth { get; init; } = Simulators.Auth.SimulatedAuthScheme.None;

    /// <summary>The accepted username (Basic, TAP+ login, password grant) or OAuth2 client id.</summary>
    public string Username { get; init; } = "demo";

    /// <summary>The accepted password or OAuth2 client secret.</summary>
    public string Password { get; init; } = "demo-password";

    /// <summary>How long an issued token or TAP+ session lives. Default 5 minutes.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// ObsCore kinds: most records' <c>access_url</c> is the provider's own DataLink service (#this, #preview and a SODA
    /// #cutout descriptor; some ids answer an error row or HTTP 500), the rest the file itself (see <c>SimulatedLinks</c>).
    /// </summary>
    public bool DataLink { get; init; }

    /// <summary>Initial faults (can be changed at run time with <see cref="RunningSimulators.SetFault"/>).</summary>
    public FaultSpec Faults { get; init; } = FaultSpec.None;
}
