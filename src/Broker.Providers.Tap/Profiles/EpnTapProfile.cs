using System.Globalization;
using Broker.Adql;
using Broker.Core.Model;
using Broker.Core.Providers;
using Broker.Core.Units;
using Q = Broker.Adql.Adql;

namespace Broker.Providers.Tap.Profiles;

/// <summary>
/// EPN-TAP 2.0 (<c>&lt;schema&gt;.epn_core</c>): time_min/time_max in JD (UTC), spectral_range_min/max always in Hz
/// (so a wavelength range swaps its ends: ν_min = c/λ_max), access_estsize in kB, the Sun is target_class 'star'.
/// </summary>
internal sealed class EpnTapProfile : TapProfile
{
    private static readonly string[] Logical =
    [
        "granule_uid", "dataproduct_type", "target_class", "time_min", "time_max", "spectral_range_min", "spectral_range_max",
        "instrument_host_name", "instrument_name", "processing_level", "service_title", "access_url", "access_format",
        "access_estsize", "thumbnail_url", "detector_name",
    ];

    /// <summary>Columns EPN-TAP 2.0 makes optional: read when present, not required by the metadata check.</summary>
    private static readonly string[] Optional = ["thumbnail_url", "detector_name"];

    public EpnTapProfile(string providerId, TapProviderOptions options) : base(providerId, options, Logical) { }

    public override IReadOnlySet<QueryAttribute> Filters { get; } = new HashSet<QueryAttribute>
    {
        QueryAttribute.Provider, QueryAttribute.Source, QueryAttribute.Instrument, QueryAttribute.Level, QueryAttribute.Wave,
    };

    public override IReadOnlyDictionary<string, IReadOnlyList<string>> RequiredColumns =>
        new Dictionary<string, IReadOnlyList<string>> { [Options.Table] = Logical.Except(Optional).Select(C).ToList() };

    public override IEnumerable<string> ExpectedInAnswer => RequiredColumns[Options.Table];

    public override IReadOnlyList<SelectStatement> BuildSearch(QueryBlock block)
    {
        if (SourceExcluded(block)) return [];
        long? level = null;
        if (block.Level is { } l && (level = NumericLevel(l)) is null) return []; // processing_level is a number 1–6
        // SELECT *: the optional columns (thumbnail_url ...) vary between services.
        var q = Q.Select().AllColumns().From(Options.Table)
            .Where(TimeCondition(block.Time, t => Q.Column(C(t == RecordTime.Begin ? "time_min" : "time_max")),
                t => Q.Number(SolarTime.ToJulianDay(t))));
        if (Options.TargetClass is { } targetClass) q.Where(Q.Eq(Q.Column(C("target_class")), Q.String(targetClass)));
        if (block.Source is { } source && Options.Source is null) q.Where(MatchAny(Q.Column(C("instrument_host_name")), Spellings(QueryAttribute.Source, source)));
        if (block.Instrument is { } instrument) q.Where(Match(Q.Column(C("instrument_name")), instrument));
        if (level is { } n) q.Where(Q.Eq(Q.Column(C("processing_level")), Q.Number(n)));
        if (!IsUnbounded(block.Wave))
        {
            const double c = WaveUnit.SpeedOfLightAngstromPerSecond;
            // λ ≤ λmax ⇔ ν ≥ c/λmax, so the upper wavelength bounds the lower frequency and vice versa.
            if (double.IsFinite(block.Wave!.MaxAngstrom))
                q.Where(Q.Ge(Q.Column(C("spectral_range_max")), Q.Number(c / block.Wave.MaxAngstrom)));
            if (block.Wave.MinAngstrom > 0)
                q.Where(Q.Le(Q.Column(C("spectral_range_min")), Q.Number(c / block.Wave.MinAngstrom)));
        }
        q.OrderBy(Q.Column(C("time_min"))).OrderBy(Q.Column(C("granule_uid")));
        return [q.Build()];
    }

    public override DataRecord? Map(ResultRow row)
    {
        var id = row.Required(C("granule_uid"));
        var tMin = row.Double(C("time_min"));
        var tMax = row.Double(C("time_max"));
        var fMin = row.Double(C("spectral_range_min"));
        var fMax = row.Double(C("spectral_range_max"));
        var level = row.Double(C("processing_level"));
        const double c = WaveUnit.SpeedOfLightAngstromPerSecond;
        return new DataRecord
        {
            Provider = ProviderId,
            FileId = id,
            Source = Options.Source ?? row.String(C("instrument_host_name")),
            Instrument = row.String(C("instrument_name")),
            Detector = row.String(C("detector_name")),
            Physobs = PhysicalObservable.FromUcd(row.String("measurement_type")),
            Level = level?.ToString(CultureInfo.InvariantCulture),
            Start = tMin is { } a ? SolarTime.FromJulianDay(a) : null,
            End = tMax is { } b ? SolarTime.FromJulianDay(b) : null,
            WaveMin = fMax is > 0 ? c / fMax.Value : null,
            WaveMax = fMin is > 0 ? c / fMin.Value : null,
            SizeKb = FileSize.Kb(row.Double(C("access_estsize"))),
            Info = Join(level is null ? null : "processing_level " + level.Value.ToString(CultureInfo.InvariantCulture), row.String(C("service_title"))),
            DataType = DataTypeOf(row.String(C("dataproduct_type"))),
            DownloadUrl = row.String(C("access_url")),
            ContentType = row.String(C("access_format")),
            ThumbnailUrl = row.String(C("thumbnail_url")),
        };
    }

    /// <summary>EPN's two-letter codes (possibly a #-list; the first one wins).</summary>
    private static string? DataTypeOf(string? code) => code?.Split('#')[0].Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "im" => "IMAGE",
        "sp" => "SPECTRUM",
        "ds" => "DYNAMIC_SPECTRUM",
        "ts" => "TIMESERIES",
        "cu" => "CUBE",
        "mo" => "MOVIE",
        "pr" => "PROFILE",
        "ma" => "MAP",
        "ev" => "EVENT",
        "ca" => "CATALOGUE",
        var other => other.ToUpperInvariant(),
    };

    public override SelectStatement? BuildResolve(IReadOnlyList<string> fileIds) =>
        Q.Select(Q.Column(C("granule_uid")), Q.Column(C("access_url")), Q.Column(C("access_estsize")), Q.Column(C("access_format")))
            .From(Options.Table)
            .Where(Q.In(Q.Column(C("granule_uid")), fileIds))
            .Build();

    public override FileLocation? LocationFromRow(ResultRow row) =>
        TapLocations.FromAccessColumns(row, C("granule_uid"), C("access_url"), C("access_estsize"), C("access_format"));
}
