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
    private static readonly string[] Selected =
        ["data_item_id", "instrument", "descriptor", "level", "begin_time", "end_time", "filesize", "filename", "soop_name", "sensor"];
    private static readonly HashSet<string> InSitu = new(["MAG", "SWA", "EPD", "RPW"], StringComparer.OrdinalIgnoreCase);

    private readonly Uri _dataUrl;

    public SoarProfile(string providerId, TapProviderOptions options, Uri dataUrl)
        : base(providerId, options, ItemColumns.Concat(FitsColumns)) => _dataUrl = dataUrl;

    public override IReadOnlySet<QueryAttribute> Filters { get; } = new HashSet<QueryAttribute>
    {
        QueryAttribute.Provider, QueryAttribute.Source, QueryAttribute.Instrument, QueryAttribute.Level,
        QueryAttribute.Detector, QueryAttribute.Wave,
    };

    public override IReadOnlyDictionary<string, IReadOnlyList<string>> RequiredColumns
    {
        get
        {
            var item = ItemColumns.Select(C).ToList();
            var fits = FitsColumns.Select(C).Append(C("data_item_oid")).ToList();
            var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
            {
                [Options.Table] = item, [Options.LowLatencyTable] = item,
            };
            foreach (var shortName in Options.InstrumentTables.Values.Distinct(StringComparer.OrdinalIgnoreCase))
                result[FitsTable(shortName, lowLatency: false)] = fits;
            return result;
        }
    }

    public override IReadOnlyList<SelectStatement> BuildSearch(QueryBlock block)
    {
        if (SourceExcluded(block)) return [];
        var level = block.Level is { } l ? NormalizeLevel(l) : null;
        var lowLatency = level?.StartsWith("LL", StringComparison.Ordinal) == true;
        var wantsWave = !IsUnbounded(block.Wave);
        var wantsJoin = wantsWave || block.Detector is not null;
        var instrument = block.Instrument?.Trim().ToUpperInvariant();

        if (!wantsJoin) return [Plain(block, instrument, level, lowLatency)];
        if (instrument is null)
        {
            // Wave and detector live in the per-instrument views only: ask each of them.
            return Options.InstrumentTables.Keys.Order(StringComparer.Ordinal)
                .Select(i => Joined(block, i.ToUpperInvariant(), level, lowLatency)).ToList();
        }
        if (Options.InstrumentTables.ContainsKey(instrument)) return [Joined(block, instrument, level, lowLatency)];
        // STIX and the in-situ instruments have no wavelength columns: a wave filter cannot match them;
        // their detector is the sensor column of the main table.
        return wantsWave ? [] : [Plain(block, instrument, level, lowLatency)];
    }

    private SelectStatement Plain(QueryBlock block, string? instrument, string? level, bool lowLatency)
    {
        var q = Q.Select();
        foreach (var name in Selected) q.Column(Q.Column(C(name)));
        q.From(lowLatency ? Options.LowLatencyTable : Options.Table);
        q.Where(CommonConditions(null, block, instrument, level));
        if (block.Detector is { } detector) q.Where(Match(Q.Column(C("sensor")), detector));
        q.OrderBy(Q.Column(C("begin_time"))).OrderBy(Q.Column(C("data_item_id")));
        return q.Build();
    }

    private SelectStatement Joined(QueryBlock block, string instrument, string? level, bool lowLatency)
    {
        var q = Q.Select();
        foreach (var name in Selected) q.Column(Q.Column(Main, C(name)));
        foreach (var name in new[] { "detector", "wavelength", "wavemin", "wavemax" }) q.Column(Q.Column(Fits, C(name)));
        q.From(lowLatency ? Options.LowLatencyTable : Options.Table, Main)
            .Join(FitsTable(Options.InstrumentTables[instrument], lowLatency), Fits, C("data_item_oid"));
        q.Where(CommonConditions(Main, block, instrument, level));
        q.Where(Q.Eq(Q.Column(Fits, C("dimension_index")), Q.String("1")));
        if (block.Detector is { } detector)
            q.Where(Q.Eq(Q.Column(Fits, C("detector")), Q.String(detector.Trim().ToUpperInvariant())));
        if (!IsUnbounded(block.Wave))
        {
            var unit = Options.WaveUnits.GetValueOrDefault(instrument, WaveUnit.Angstrom);
            var wave = block.Wave!;
            if (double.IsFinite(wave.MaxAngstrom))
                q.Where(Q.Le(Q.Column(Fits, C("wavemin")), Q.Number(unit.FromAngstrom(wave.MaxAngstrom))));
            if (wave.MinAngstrom > 0)
                q.Where(Q.Ge(Q.Column(Fits, C("wavemax")), Q.Number(unit.FromAngstrom(wave.MinAngstrom))));
        }
        q.OrderBy(Q.Column(Main, C("begin_time"))).OrderBy(Q.Column(Main, C("data_item_id")));
        return q.Build();
    }

    private Expr CommonConditions(string? alias, QueryBlock block, string? instrument, string? level)
    {
        ColumnRef Col(string logical) => alias is null ? Q.Column(C(logical)) : Q.Column(alias, C(logical));
        return Q.AndAll(
            TimeCondition(block.Time, t => Col(t == RecordTime.Begin ? "begin_time" : "end_time"), t => Q.Timestamp(t)),
            Q.Eq(Col("is_active"), Q.String("True")),
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
            SizeKb = bytes / 1024d,
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
        // The columns carry no unit; without a configured unit for the instrument the value would mislead.
        if (instrument is null || !Options.WaveUnits.TryGetValue(instrument, out var unit)) return (null, null);
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
        new(fileId, FileStatus.Ok, DataUrl(fileId, null));
}
