using System.Globalization;
using Broker.Adql;
using Broker.Core.Model;
using Broker.Core.Providers;
using Broker.Core.Units;
using Q = Broker.Adql.Adql;

namespace Broker.Providers.Tap.Profiles;

/// <summary>
/// The ESA Solar Orbiter Archive. Times follow the broker's rule on begin_time/end_time (not sunpy-soar's
/// start-only test), deactivated files are excluded (<c>is_active='True'</c>), and wavelength or detector filters
/// join the instrument's FITS view with <c>dimension_index='1'</c> (one row per file, not 2 or 4).
/// </summary>
internal sealed class SoarProfile : TapProfile
{
    private const string Main = "h1";
    private const string Fits = "h2";

    private static readonly string[] ItemColumns =
        ["data_item_oid", "data_item_id", "instrument", "descriptor", "level", "begin_time", "end_time", "filesize", "filename", "soop_name", "sensor", "is_active"];
    private static readonly string[] FitsColumns = ["detector", "wavelength", "wavemin", "wavemax", "dimension_index"];
    private static readonly string[] WaveColumns = ["wavelength", "wavemin", "wavemax"];
    private static readonly string[] Selected =
        ["data_item_id", "instrument", "descriptor", "level", "begin_time", "end_time", "filesize", "filename", "soop_name", "sensor"];
    private static readonly HashSet<string> InSitu = new(["MAG", "SWA", "EPD", "RPW"], StringComparer.OrdinalIgnoreCase);

    private readonly Uri _dataUrl;

    public SoarProfile(string providerId, TapProviderOptions options, Uri dataUrl)
        : base(providerId, options, ItemColumns.Concat(FitsColumns)) => _dataUrl = dataUrl;

    public override IReadOnlySet<QueryAttribute> Filters
    {
        get
        {
            var filters = new HashSet<QueryAttribute>
            {
                QueryAttribute.Provider, QueryAttribute.Source, QueryAttribute.Instrument, QueryAttribute.Level,
            };
            if (CanFilterDetector) filters.Add(QueryAttribute.Detector);
            if (CanFilterWave) filters.Add(QueryAttribute.Wave);
            return filters;
        }
    }

    public override IReadOnlySet<QueryAttribute>? RecordFields
    {
        get
        {
            var fields = new HashSet<QueryAttribute> { QueryAttribute.Source, QueryAttribute.Instrument, QueryAttribute.Level, QueryAttribute.Physobs };
            if (CanFilterDetector) fields.Add(QueryAttribute.Detector);
            if (CanFilterWave) fields.Add(QueryAttribute.Wave);
            return fields;
        }
    }

    public override IReadOnlyDictionary<QueryAttribute, string> FilterGaps => new Dictionary<QueryAttribute, string>
    {
        [QueryAttribute.Detector] = $"no detector column in {Options.Table} and no instrument views",
        [QueryAttribute.Wave] = $"no wavelength column in {Options.Table} and no instrument views",
    };

    /// <summary>The per-instrument FITS views that exist (all of SOAR's while the tables are unknown).</summary>
    private IReadOnlyList<string> Views =>
        Options.InstrumentTables.Keys.Where(i => HasTable(FitsTable(Options.InstrumentTables[i], lowLatency: false)))
            .Order(StringComparer.Ordinal).Select(i => i.ToUpperInvariant()).ToList();

    private bool MainHasWave => WaveColumns.Any(c => Has(Options.Table, c, assumed: false));
    private bool MainHasDetector => Has(Options.Table, "detector", assumed: false) || Has(Options.Table, "sensor");
    private bool CanFilterWave => MainHasWave || Views.Count > 0;
    private bool CanFilterDetector => MainHasDetector || Views.Count > 0;

    public override IReadOnlyDictionary<string, IReadOnlyList<string>> RequiredColumns
    {
        get
        {
            var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
            {
                [Options.Table] = ItemColumns.Select(C).ToList(),
            };
            return result;
        }
    }

    /// <summary>
    /// The queries of a block. A wavelength or detector filter joins each instrument's FITS view where the archive has
    /// them; the instruments without a view come from the main table, whose own wavelength/detector columns are used
    /// when it has them. Parts never overlap (the main-table part excludes the viewed instruments).
    /// </summary>
    public override IReadOnlyList<SelectStatement> BuildSearch(QueryBlock block)
    {
        if (SourceExcluded(block)) return [];
        var level = block.Level is { } l ? NormalizeLevel(l) : null;
        var lowLatency = level?.StartsWith("LL", StringComparison.Ordinal) == true;
        var instrument = block.Instrument?.Trim().ToUpperInvariant();
        var views = Views;
        var queries = new List<SelectStatement>();
        if (instrument is not null)
        {
            if (views.Contains(instrument)) queries.Add(Joined(block, instrument, level, lowLatency));
            else queries.AddRange(Plain(block, instrument, [], level, lowLatency));
            return queries;
        }
        foreach (var view in views) queries.Add(Joined(block, view, level, lowLatency));
        queries.AddRange(Plain(block, null, views, level, lowLatency));
        return queries;
    }

    /// <summary>
    /// The main table for one instrument, or for every instrument but <paramref name="excluded"/>. A wavelength filter
    /// needs the wave columns' unit: declared by the service, else the instrument's configured one (one query per
    /// instrument with a unit; instruments without one have no wavelength to match).
    /// </summary>
    private IEnumerable<SelectStatement> Plain(QueryBlock block, string? instrument, IReadOnlyList<string> excluded, string? level, bool lowLatency)
    {
        if (block.Detector is not null && !MainHasDetector) yield break; // no detector in this part of the archive
        if (IsUnbounded(block.Wave))
        {
            yield return PlainQuery(block, instrument, excluded, level, lowLatency, null);
            yield break;
        }
        if (!MainHasWave) yield break; // no wavelength in this part of the archive (in-situ, STIX)
        if (DeclaredWaveUnit is { } declared)
        {
            yield return PlainQuery(block, instrument, excluded, level, lowLatency, declared);
            yield break;
        }
        var withUnit = instrument is not null
            ? Options.WaveUnits.ContainsKey(instrument) ? [instrument] : Array.Empty<string>()
            : Options.WaveUnits.Keys.Select(i => i.ToUpperInvariant()).Where(i => !excluded.Contains(i)).Order(StringComparer.Ordinal).ToArray();
        foreach (var i in withUnit) yield return PlainQuery(block, i, [], level, lowLatency, Options.WaveUnits[i]);
    }

    private WaveUnit? DeclaredWaveUnit =>
        (UnitOf(Options.Table, "wavemin") ?? UnitOf(Options.Table, "wavelength")) is { } text && WaveUnit.TryParse(text, out var unit) ? unit : null;

    private SelectStatement PlainQuery(QueryBlock block, string? instrument, IReadOnlyList<string> excluded, string? level, bool lowLatency, WaveUnit? unit)
    {
        var q = Q.Select();
        var table = lowLatency && HasTable(Options.LowLatencyTable) ? Options.LowLatencyTable : Options.Table;
        foreach (var name in Selected.Where(n => Has(Options.Table, n))) q.Column(Q.Column(C(name)));
        foreach (var name in FitsColumns.SkipLast(1).Where(n => Has(Options.Table, n, assumed: false))) q.Column(Q.Column(C(name)));
        q.From(table);
        q.Where(CommonConditions(null, block, instrument, level));
        if (excluded.Count > 0) q.Where(Q.Not(Q.In(Q.Column(C("instrument")), excluded)));
        if (block.Detector is { } detector)
            q.Where(Match(Q.Column(C(Has(Options.Table, "detector", assumed: false) ? "detector" : "sensor")), detector));
        if (unit is not null) WaveConditions(q, null, block.Wave!, unit);
        q.OrderBy(Q.Column(C("begin_time"))).OrderBy(Q.Column(C("data_item_id")));
        return q.Build();
    }

    private SelectStatement Joined(QueryBlock block, string instrument, string? level, bool lowLatency)
    {
        var q = Q.Select();
        foreach (var name in Selected.Where(n => Has(Options.Table, n))) q.Column(Q.Column(Main, C(name)));
        foreach (var name in new[] { "detector", "wavelength", "wavemin", "wavemax" }) q.Column(Q.Column(Fits, C(name)));
        var useLowLatency = lowLatency && HasTable(Options.LowLatencyTable);
        var view = FitsTable(Options.InstrumentTables[instrument], useLowLatency);
        var firstDimension = Q.Eq(Q.Column(Fits, C("dimension_index")), Q.String("1"));
        q.From(useLowLatency ? Options.LowLatencyTable : Options.Table, Main).Join(view, Fits, C("data_item_oid"));
        q.Where(CommonConditions(Main, block, instrument, level));
        q.Where(firstDimension);
        if (block.Detector is { } detector)
            q.Where(Q.Eq(Q.Column(Fits, C("detector")), Q.String(detector.Trim().ToUpperInvariant())));
        if (!IsUnbounded(block.Wave))
            WaveConditions(q, Fits, block.Wave!, Options.WaveUnits.GetValueOrDefault(instrument, WaveUnit.Angstrom));
        q.OrderBy(Q.Column(Main, C("begin_time"))).OrderBy(Q.Column(Main, C("data_item_id")));
        return q.Build();
    }

    /// <summary>Overlap of [wavemin, wavemax] (in the columns' unit) with the block's range, bounds included.</summary>
    private void WaveConditions(SelectBuilder q, string? alias, WaveRange wave, WaveUnit unit)
    {
        ColumnRef Col(string logical) => alias is null ? Q.Column(C(logical)) : Q.Column(alias, C(logical));
        if (double.IsFinite(wave.MaxAngstrom)) q.Where(Q.Le(Col("wavemin"), Q.Number(unit.FromAngstrom(wave.MaxAngstrom))));
        if (wave.MinAngstrom > 0) q.Where(Q.Ge(Col("wavemax"), Q.Number(unit.FromAngstrom(wave.MinAngstrom))));
    }

    private Expr CommonConditions(string? alias, QueryBlock block, string? instrument, string? level)
    {
        ColumnRef Col(string logical) => alias is null ? Q.Column(C(logical)) : Q.Column(alias, C(logical));
        return Q.AndAll(
            TimeCondition(block.Time, t => Col(t == RecordTime.Begin ? "begin_time" : "end_time"), t => Q.Timestamp(t)),
            Has(Options.Table, "is_active") ? Q.Eq(Col("is_active"), Q.String("True")) : null,
            instrument is null ? null : Q.Eq(Col("instrument"), Q.String(instrument)),
            level is null ? null : Q.Eq(Col("level"), Q.String(level)))!;
    }

    private string FitsTable(string shortName, bool lowLatency) =>
        Options.InstrumentTable.Replace("{inst}", shortName, StringComparison.Ordinal)
            .Replace("{kind}", lowLatency ? "ll" : "sc", StringComparison.Ordinal);

    /// <summary>"2" and "l2" become "L2"; "ll02" becomes "LL02".</summary>
    internal static string NormalizeLevel(string level)
    {
        var t = level.Trim().ToUpperInvariant();
        return t.Length > 0 && t.All(char.IsAsciiDigit) ? "L" + t : t;
    }

    public override DataRecord? Map(ResultRow row)
    {
        var id = row.Required(C("data_item_id"));
        var instrument = row.String(C("instrument"));
        var level = row.String(C("level"));
        var descriptor = row.String(C("descriptor"));
        var (waveMin, waveMax) = Wave(row, instrument);
        var bytes = row.Double(C("filesize"));
        return new DataRecord
        {
            Provider = ProviderId,
            FileId = id,
            Source = Options.Source,
            Instrument = instrument,
            Detector = row.String(C("detector")) ?? row.String(C("sensor")),
            Physobs = PhysicalObservable.FromSoarDescriptor(descriptor, instrument),
            Level = level,
            Start = row.Time(C("begin_time")),
            End = row.Time(C("end_time")),
            WaveMin = waveMin,
            WaveMax = waveMax,
            SizeKb = FileSize.KbFromBytes(bytes),
            Info = Join(level, descriptor, row.String(C("soop_name"))),
            DataType = DataTypeOf(descriptor, instrument),
            DownloadUrl = DataUrl(id, level),
        };
    }

    private (double? Min, double? Max) Wave(ResultRow row, string? instrument)
    {
        var min = row.Double(C("wavemin")) ?? row.Double(C("wavelength"));
        var max = row.Double(C("wavemax")) ?? row.Double(C("wavelength"));
        if (min is null && max is null) return (null, null);
        // SOAR's columns carry no unit: the one the service declares, else the instrument's configured one; without
        // either the value would mislead.
        var unit = DeclaredWaveUnit ?? (instrument is not null && Options.WaveUnits.TryGetValue(instrument, out var configured) ? configured : null);
        if (unit is null) return (null, null);
        var (a, b) = unit.RangeToAngstrom(min ?? max!.Value, max ?? min!.Value);
        return (a, b);
    }

    private static string? DataTypeOf(string? descriptor, string? instrument)
    {
        if (descriptor is not null)
        {
            if (descriptor.Contains("image", StringComparison.OrdinalIgnoreCase)) return "IMAGE";
            if (descriptor.Contains("spec", StringComparison.OrdinalIgnoreCase)) return "SPECTRUM";
        }
        return instrument is not null && InSitu.Contains(instrument) ? "TIMESERIES" : null;
    }

    /// <summary>The latest version of a product: <c>data?retrieval_type=LAST_PRODUCT&amp;product_type=…&amp;data_item_id=…</c>.</summary>
    internal string DataUrl(string dataItemId, string? level)
    {
        var lowLatency = level is not null
            ? level.StartsWith("LL", StringComparison.OrdinalIgnoreCase)
            : dataItemId.Contains("_LL", StringComparison.OrdinalIgnoreCase);
        var query = string.Create(CultureInfo.InvariantCulture,
            $"retrieval_type=LAST_PRODUCT&product_type={(lowLatency ? "LOW_LATENCY" : "SCIENCE")}&data_item_id={Uri.EscapeDataString(dataItemId)}");
        return new UriBuilder(_dataUrl) { Query = query }.Uri.AbsoluteUri;
    }

    public override SelectStatement? BuildResolve(IReadOnlyList<string> fileIds) => null;

    public override FileLocation? LocationFromId(string fileId) =>
        new(fileId, FileStatus.Unverified, DataUrl(fileId, null),
            Detail: "URL built from the file id; the archive was not asked whether the file exists (verify=true checks it)");
}
