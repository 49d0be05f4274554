using System.Globalization;
using Broker.Adql;
using Broker.Core.Model;
using Broker.Core.Providers;
using Broker.Core.Units;
using Q = Broker.Adql.Adql;

namespace Broker.Providers.Tap.Profiles;

/// <summary>IVOA ObsCore (<c>ivoa.obscore</c>): t_min/t_max in MJD, em_min/em_max in metres, access_estsize in kB.</summary>
internal sealed class ObsCoreProfile : TapProfile
{
    private const double MetresPerAngstrom = 1e-10;

    /// <summary>
    /// The spatial axis, read only when the service's /tables lists the column (ObsCore makes them mandatory, yet a
    /// service without them must still answer: these are never assumed).
    /// </summary>
    private static readonly string[] Spatial = ["s_ra", "s_dec", "s_fov", "s_region", "s_resolution", "s_xel1", "s_xel2"];

    private static readonly string[] Logical =
    [
        "obs_publisher_did", "obs_collection", "facility_name", "instrument_name", "t_min", "t_max", "em_min", "em_max",
        "calib_level", "access_url", "access_format", "access_estsize", "dataproduct_type", "o_ucd", .. Spatial,
    ];

    public ObsCoreProfile(string providerId, TapProviderOptions options) : base(providerId, options, Logical)
    {
        _read = new ReadColumns(C);
    }

    /// <summary>The service's names of the columns <see cref="Map"/> reads, resolved once (Map runs for every row).</summary>
    private readonly ReadColumns _read;

    private sealed class ReadColumns(Func<string, string> c)
    {
        public readonly string Did = c("obs_publisher_did"), TMin = c("t_min"), TMax = c("t_max"), EmMin = c("em_min"), EmMax = c("em_max"),
            Level = c("calib_level"), Facility = c("facility_name"), Instrument = c("instrument_name"), Ucd = c("o_ucd"),
            Size = c("access_estsize"), Collection = c("obs_collection"), ProductType = c("dataproduct_type"), Url = c("access_url"),
            Format = c("access_format"), Ra = c("s_ra"), Dec = c("s_dec"), Fov = c("s_fov"), Region = c("s_region"),
            Resolution = c("s_resolution"), Xel1 = c("s_xel1"), Xel2 = c("s_xel2");
    }

    /// <summary>calib_level 0–9 as text and as the info note, made once instead of per record.</summary>
    private static readonly (string Level, string Note)[] SmallLevels =
        [.. Enumerable.Range(0, 10).Select(n => (n.ToString(CultureInfo.InvariantCulture), "calib_level " + n))];

    private static (string? Level, string? Note) CalibLevel(double? value)
    {
        if (value is not { } v) return (null, null);
        if (v is >= 0 and < 10 && v == Math.Floor(v)) return SmallLevels[(int)v];
        var text = v.ToString(CultureInfo.InvariantCulture);
        return (text, "calib_level " + text);
    }

    /// <summary>Columns read when the table has them (physobs, format, size, product type); the others are required.</summary>
    private static readonly string[] Optional = ["o_ucd", "access_format", "access_estsize", "dataproduct_type", .. Spatial];

    /// <summary>The column each filterable attribute needs.</summary>
    private static readonly (QueryAttribute Attribute, string[] Columns)[] FilterColumns =
    [
        (QueryAttribute.Source, ["facility_name"]), (QueryAttribute.Instrument, ["instrument_name"]),
        (QueryAttribute.Level, ["calib_level"]), (QueryAttribute.Wave, ["em_min", "em_max"]),
    ];

    private bool HasAll(string[] columns) => columns.All(c => Has(Options.Table, c));

    public override IReadOnlySet<QueryAttribute> Filters =>
        FilterColumns.Where(f => HasAll(f.Columns) || f.Attribute == QueryAttribute.Source && Options.Source is not null)
            .Select(f => f.Attribute).Append(QueryAttribute.Provider).ToHashSet();

    public override IReadOnlySet<QueryAttribute>? RecordFields
    {
        get
        {
            var fields = Filters.Where(a => a != QueryAttribute.Provider).ToHashSet();
            if (Has(Options.Table, "o_ucd")) fields.Add(QueryAttribute.Physobs);
            return fields;
        }
    }

    public override IReadOnlyDictionary<QueryAttribute, string> FilterGaps =>
        FilterColumns.ToDictionary(f => f.Attribute, f => $"no {string.Join("/", f.Columns.Select(C))} column in {Options.Table}")
            .Append(new(QueryAttribute.Detector, "ObsCore has no detector column"))
            .Append(new(QueryAttribute.Physobs, $"no o_ucd column in {Options.Table}"))
            .ToDictionary(p => p.Key, p => p.Value);

    public override IReadOnlyDictionary<string, IReadOnlyList<string>> RequiredColumns =>
        new Dictionary<string, IReadOnlyList<string>> { [Options.Table] = Logical.Except(Optional).Select(C).ToList() };

    public override IReadOnlyList<SelectStatement> BuildSearch(QueryBlock block)
    {
        if (SourceExcluded(block)) return [];
        long? level = null;
        if (block.Level is { } l && (level = NumericLevel(l)) is null) return []; // calib_level is a number 0–4
        var q = Q.Select();
        foreach (var name in Logical.Where(n => Has(Options.Table, n, assumed: !Spatial.Contains(n)))) q.Column(Q.Column(C(name)));
        q.From(Options.Table)
            .Where(TimeCondition(block.Time, t => Q.Column(C(t == RecordTime.Begin ? "t_min" : "t_max")),
                t => Q.Number(SolarTime.ToModifiedJulianDay(t))));
        if (block.Source is { } source && Options.Source is null) q.Where(MatchAny(Q.Column(C("facility_name")), Spellings(QueryAttribute.Source, source)));
        if (block.Instrument is { } instrument) q.Where(MatchAny(Q.Column(C("instrument_name")), Spellings(QueryAttribute.Instrument, instrument)));
        if (level is { } n) q.Where(Q.Eq(Q.Column(C("calib_level")), Q.Number(n)));
        if (!IsUnbounded(block.Wave))
        {
            if (double.IsFinite(block.Wave!.MaxAngstrom))
                q.Where(Q.Le(Q.Column(C("em_min")), Q.Number(block.Wave.MaxAngstrom * MetresPerAngstrom)));
            if (block.Wave.MinAngstrom > 0)
                q.Where(Q.Ge(Q.Column(C("em_max")), Q.Number(block.Wave.MinAngstrom * MetresPerAngstrom)));
        }
        q.OrderBy(Q.Column(C("t_min"))).OrderBy(Q.Column(C("obs_publisher_did")));
        return [q.Build()];
    }

    public override DataRecord? Map(ResultRow row)
    {
        var c = _read;
        var id = row.Required(c.Did);
        var tMin = row.Double(c.TMin);
        var tMax = row.Double(c.TMax);
        var emMin = row.Double(c.EmMin);
        var emMax = row.Double(c.EmMax);
        var (level, levelNote) = CalibLevel(row.Double(c.Level));
        return new DataRecord
        {
            Provider = ProviderId,
            FileId = id,
            Identity = id,
            Source = Options.Source ?? row.String(c.Facility),
            Instrument = row.String(c.Instrument),
            Physobs = PhysicalObservable.FromUcd(row.String(c.Ucd)),
            Level = level,
            Start = tMin is { } a ? SolarTime.FromModifiedJulianDay(a) : null,
            End = tMax is { } b ? SolarTime.FromModifiedJulianDay(b) : null,
            WaveMin = emMin / MetresPerAngstrom,
            WaveMax = emMax / MetresPerAngstrom,
            SizeKb = FileSize.Kb(row.Double(c.Size)),
            Info = Join(row.String(c.Collection), levelNote),
            DataType = row.String(c.ProductType)?.ToUpperInvariant(),
            DownloadUrl = row.String(c.Url),
            ContentType = row.String(c.Format),
            Sky = Sky(row, c),
        };
    }

    /// <summary>The spatial axis as the service gives it (ObsCore units: degrees, arcsec, pixels); null when the row has none of it.</summary>
    private static SkyCoverage? Sky(ResultRow row, ReadColumns c)
    {
        var sky = new SkyCoverage
        {
            Ra = row.Double(c.Ra),
            Dec = row.Double(c.Dec),
            FovDeg = row.Double(c.Fov),
            Region = row.Region(c.Region),
            ResolutionArcsec = row.Double(c.Resolution),
            Xel1 = row.Double(c.Xel1) is { } x1 ? (long)x1 : null,
            Xel2 = row.Double(c.Xel2) is { } x2 ? (long)x2 : null,
        };
        return sky.IsEmpty ? null : sky;
    }

    public override SelectStatement? BuildResolve(IReadOnlyList<string> fileIds) =>
        Q.Select(Q.Column(C("obs_publisher_did")), Q.Column(C("access_url")), Q.Column(C("access_estsize")), Q.Column(C("access_format")))
            .From(Options.Table)
            .Where(Q.In(Q.Column(C("obs_publisher_did")), fileIds))
            .Build();

    public override FileLocation? LocationFromRow(ResultRow row) =>
        TapLocations.FromAccessColumns(row, C("obs_publisher_did"), C("access_url"), C("access_estsize"), C("access_format"));
}
