using Broker.Core.Configuration;
using Broker.Core.Units;

namespace Broker.Providers.Tap;

/// <summary>The built-in mappings from a TAP service's tables to the broker's record model.</summary>
public enum TapProfileKind
{
    /// <summary>ESA Solar Orbiter Archive (soar.v_sc_data_item, v_ll_data_item, v_&lt;inst&gt;_sc_fits).</summary>
    Soar,
    /// <summary>IVOA ObsCore (ivoa.obscore): MJD times, wavelengths in metres.</summary>
    ObsCore,
    /// <summary>EPN-TAP 2.0 (&lt;schema&gt;.epn_core): JD times, spectral range in Hz.</summary>
    EpnTap,
}

/// <summary>How a query is run: one synchronous request, a UWS job, or sync unless the answer looks large.</summary>
public enum TapMode
{
    Sync,
    Async,
    /// <summary>Async when more rows than <see cref="TapProviderOptions.AsyncThreshold"/> are wanted or when sync times out.</summary>
    Auto,
}

/// <summary>The result format asked of the service (FORMAT / RESPONSEFORMAT).</summary>
public enum TapFormat
{
    /// <summary>BINARY2 when the service's /capabilities lists it, VOTable TABLEDATA otherwise.</summary>
    Auto,
    VoTable,
    Binary2,
    Csv,
    Json,
}

/// <summary>
/// The type-specific settings of a <c>type: tap</c> entry in providers.yaml (<c>options:</c>). Everything about a
/// TAP provider is configuration: a new TAP provider is one providers.yaml entry.
/// </summary>
public sealed record TapProviderOptions
{
    /// <summary><c>profile</c> (required): soar | obscore | epntap.</summary>
    public required TapProfileKind Profile { get; init; }
    /// <summary><c>mode</c>: sync | async | auto. <value>Default auto.</value></summary>
    public TapMode Mode { get; init; } = TapMode.Auto;
    /// <summary><c>format</c>: auto | votable | binary2 | csv | json. <value>Default auto.</value></summary>
    public TapFormat Format { get; init; } = TapFormat.Auto;
    /// <summary>
    /// <c>quoteIdentifiers</c>: always | reserved | never | auto — when column and table names are delimited
    /// (<c>"level"</c>). <value>Default auto: the names the service's VOSI /tables lists delimited, reserved words until it is read.</value>
    /// </summary>
    public Broker.Adql.QuoteIdentifiers QuoteIdentifiers { get; init; } = Broker.Adql.QuoteIdentifiers.Auto;
    /// <summary><c>syncPath</c>, relative to the url (or host-absolute with a leading /). <value>Default sync.</value></summary>
    public string SyncPath { get; init; } = "sync";
    /// <summary><c>asyncPath</c>. <value>Default async.</value></summary>
    public string AsyncPath { get; init; } = "async";
    /// <summary><c>tablesPath</c> (VOSI tables). <value>Default tables.</value></summary>
    public string TablesPath { get; init; } = "tables";
    /// <summary><c>availabilityPath</c> (VOSI availability). <value>Default availability.</value></summary>
    public string AvailabilityPath { get; init; } = "availability";
    /// <summary><c>capabilitiesPath</c> (VOSI capabilities, read to negotiate BINARY2). <value>Default capabilities.</value></summary>
    public string CapabilitiesPath { get; init; } = "capabilities";
    /// <summary><c>dataPath</c>: the SOAR data endpoint. <value>Default ../data (i.e. &lt;url without /tap&gt;/data).</value></summary>
    public string DataPath { get; init; } = "../data";
    /// <summary><c>pollInterval</c>: first UWS poll wait. <value>Default 500ms.</value></summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);
    /// <summary><c>maxPollInterval</c>: the backoff cap. <value>Default 5s.</value></summary>
    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary><c>asyncThreshold</c>: rows wanted above which auto mode runs a UWS job. <value>Default 20000.</value></summary>
    public int AsyncThreshold { get; init; } = 20_000;
    /// <summary><c>syncTimeout</c>: in auto mode, a sync call slower than this is abandoned and rerun async. <value>Default 20s.</value></summary>
    public TimeSpan SyncTimeout { get; init; } = TimeSpan.FromSeconds(20);
    /// <summary><c>cleanupTimeout</c>: time allowed for the DELETE of a finished or abandoned job. <value>Default 5s.</value></summary>
    public TimeSpan CleanupTimeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary><c>metadataRefresh</c>: how often the VOSI metadata check runs. <value>Default 1h.</value></summary>
    public TimeSpan MetadataRefresh { get; init; } = TimeSpan.FromHours(1);
    /// <summary>
    /// <c>rightsColumn</c>: the column that gives a row's data rights; a row whose value is set and not <c>public</c> is
    /// marked restricted. Null: detected (ObsCore's <c>data_rights</c> when the main table declares it); <c>none</c>: never.
    /// </summary>
    public string? RightsColumn { get; init; }

    /// <summary><c>dataUrlHosts</c>: hosts besides the url's own whose data URLs may be verified.</summary>
    public IReadOnlyList<string> DataUrlHosts { get; init; } = [];
    /// <summary><c>source</c>: a constant source for every record (SOAR: SOLO); else from the profile's column.</summary>
    public string? Source { get; init; }
    /// <summary><c>providerName</c>: the provider name this entry answers to (block provider=X). <value>Default: SOAR for the soar profile, else none (the id).</value></summary>
    public string? ProviderName { get; init; }
    /// <summary><c>table</c>: the main table. <value>soar.v_sc_data_item | ivoa.obscore | &lt;schema&gt;.epn_core.</value></summary>
    public required string Table { get; init; }
    /// <summary><c>lowLatencyTable</c> (SOAR, for LL levels). <value>Default soar.v_ll_data_item.</value></summary>
    public string LowLatencyTable { get; init; } = "soar.v_ll_data_item";
    /// <summary><c>instrumentTable</c> (SOAR): pattern of the FITS-header view, {inst} and {kind} (sc|ll) replaced. <value>Default soar.v_{inst}_{kind}_fits.</value></summary>
    public string InstrumentTable { get; init; } = "soar.v_{inst}_{kind}_fits";
    /// <summary><c>instrumentTables</c> (SOAR): instrument → short name in the view name; the instruments that are joined for wave/detector.</summary>
    public IReadOnlyDictionary<string, string> InstrumentTables { get; init; } = DefaultInstrumentTables;
    /// <summary><c>instruments</c> (SOAR): instruments the archive holds, declared as capabilities when providers.yaml sets none.</summary>
    public IReadOnlyList<string> Instruments { get; init; } = [];
    /// <summary><c>waveUnits</c> (SOAR): instrument → unit of its unitless wavemin/wavemax columns.</summary>
    public IReadOnlyDictionary<string, WaveUnit> WaveUnits { get; init; } = DefaultWaveUnits;
    /// <summary><c>columns</c>: logical column → the service's column name, overriding the profile's.</summary>
    public IReadOnlyDictionary<string, string> Columns { get; init; } = new Dictionary<string, string>();
    /// <summary><c>targetClass</c> (EPN-TAP): the target_class the Sun has. <value>Default star; empty disables the filter.</value></summary>
    public string? TargetClass { get; init; } = "star";
    /// <summary><c>caseInsensitive</c>: compare names with UPPER() on both sides. <value>Default false for soar, true otherwise.</value></summary>
    public bool CaseInsensitive { get; init; }

    /// <summary>SOAR's FITS views (sunpy-soar): eui, met, spi, phi, shi.</summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultInstrumentTables =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["EUI"] = "eui", ["METIS"] = "met", ["SPICE"] = "spi", ["PHI"] = "phi", ["SOLOHI"] = "shi",
        };

    /// <summary>SOAR's unitless wave columns: EUI Å, METIS nm (121.6, 610), SPICE nm, PHI Å, SoloHI nm.</summary>
    public static readonly IReadOnlyDictionary<string, WaveUnit> DefaultWaveUnits = BuildDefaultWaveUnits();

    /// <summary>SOAR's instruments.</summary>
    public static readonly IReadOnlyList<string> SoarInstruments =
        ["EPD", "EUI", "MAG", "METIS", "PHI", "RPW", "SOLOHI", "SPICE", "STIX", "SWA"];

    private static Dictionary<string, WaveUnit> BuildDefaultWaveUnits()
    {
        WaveUnit.TryParse("nm", out var nm);
        return new Dictionary<string, WaveUnit>(StringComparer.OrdinalIgnoreCase)
        {
            ["EUI"] = WaveUnit.Angstrom, ["METIS"] = nm, ["SPICE"] = nm, ["PHI"] = WaveUnit.Angstrom, ["SOLOHI"] = nm,
        };
    }
}
