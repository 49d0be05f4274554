using Broker.Core.Model;
using Broker.Core.Units;

namespace Broker.TapService.Schema;

/// <summary>
/// The two views of the federated record set: <c>vso.records</c> (the broker's own record, VSO vocabulary, Å and kB)
/// and the ObsCore 1.1 view <c>ivoa.obscore</c> (MJD times, wavelengths in metres, access through the broker's
/// DataLink service). Both are produced from the same merged <see cref="DataRecord"/>s.
/// </summary>
public static class RecordTables
{
    /// <summary>The DataLink MIME type written as ObsCore <c>access_format</c>.</summary>
    public const string DataLinkFormat = "application/x-votable+xml;content=datalink";

    /// <summary>ObsCore dataproduct_type values (ObsCore 1.1 §4.1).</summary>
    public static readonly IReadOnlyList<string> ProductTypes = ["image", "cube", "spectrum", "sed", "timeseries", "visibility", "event", "measurements"];

    /// <summary><c>vso.records</c>: one row per merged record.</summary>
    public static readonly TapTable Records = new("vso", "vso.records",
        "One row per record of the federated search: every provider's answer mapped to the VSO record (times UTC, " +
        "wavelengths in Angstrom, sizes in kB). A query needs a bounded time range (conditions on time_start/time_end); " +
        "conditions on provider, source, instrument, detector, physobs, level and the wavelengths are passed to the providers, " +
        "every other condition is evaluated by the broker on the merged rows.",
        TableSource.Records,
        [
            TapColumn.Text("provider", "meta.id;meta.curation", "Broker provider id (routes GetData and DataLink)") with { Principal = true, Indexed = true, Domain = new(NotNull: true) },
            TapColumn.Text("fileid", "meta.id;meta.file", "Provider's file id (unique per provider)") with { Principal = true, Domain = new(NotNull: true) },
            TapColumn.Text("source", "meta.id;instr.obsty", "Observatory or spacecraft (VSO source)") with { Principal = true, Indexed = true },
            TapColumn.Text("instrument", "meta.id;instr", "Instrument") with { Principal = true, Indexed = true },
            TapColumn.Text("detector", "meta.id;instr.det", "Detector") with { Indexed = true },
            TapColumn.Text("physobs", "meta.code;phys", "Physical observable (VSO physobs)") with { Indexed = true },
            TapColumn.Text("data_level", "meta.code;obs.calib", "Processing level as the provider names it (VSO level)") with { Indexed = true },
            TapColumn.Timestamp("time_start", "time.start;obs.exposure", "Start of the observation (UTC)") with { Principal = true, Indexed = true },
            TapColumn.Timestamp("time_end", "time.end;obs.exposure", "End of the observation (UTC)") with { Principal = true, Indexed = true },
            TapColumn.Double("wavemin", "Angstrom", "em.wl;stat.min", "Lower end of the wavelength range") with { Principal = true, Indexed = true },
            TapColumn.Double("wavemax", "Angstrom", "em.wl;stat.max", "Upper end of the wavelength range") with { Principal = true, Indexed = true },
            TapColumn.Text("wavetype", "meta.code;em", "Kind of wavelength range (narrow, broad ...)"),
            TapColumn.Double("filesize", "kbyte", "phys.size;meta.file", "File size (1 kB = 1024 bytes); null when unknown"),
            TapColumn.Text("info", "meta.note", "Free text from the provider (product, collection ...)"),
            TapColumn.Text("datatype", "meta.code.class", "Kind of product (IMAGE, SPECTRUM, TIMESERIES ...)"),
            TapColumn.Text("url", "meta.ref.url;meta.file", "Download hint: a URL the provider gave for the file, when it gave one (GetData resolves the authoritative one)"),
            TapColumn.Text("content_type", "meta.code.mime", "MIME type of the file, when known"),
            TapColumn.Text("thumbnail", "meta.ref.url;meta.preview", "Preview image URL, when the provider has one"),
            TapColumn.Text("datalink", "meta.ref.url", "The broker's DataLink {links} URL for this record") with { Domain = new(NotNull: true) },
            TapColumn.Double("s_ra", "deg", "pos.eq.ra;meta.main", "Right ascension of the field centre, ICRS, from providers with sky positions (ObsCore s_ra); null otherwise"),
            TapColumn.Double("s_dec", "deg", "pos.eq.dec;meta.main", "Declination of the field centre, ICRS, from providers with sky positions (ObsCore s_dec); null otherwise"),
            TapColumn.Double("s_fov", "deg", "phys.angSize;instr.fov", "Diameter of the field of view (ObsCore s_fov), when the provider gives it"),
            RegionColumn("s_region", "Sky footprint (ObsCore s_region: STC-S, or the provider's DALI array as numbers), when the provider gives it"),
            TapColumn.Double("s_resolution", "arcsec", "pos.angResolution", "Spatial resolution (ObsCore s_resolution), when the provider gives it"),
            TapColumn.Long("s_xel1", null, "meta.number", "Pixels along the first spatial axis (ObsCore s_xel1), when the provider gives it"),
            TapColumn.Long("s_xel2", null, "meta.number", "Pixels along the second spatial axis (ObsCore s_xel2), when the provider gives it"),
        ]);

    /// <summary>The columns holding sky positions or footprints: geometry functions need them, and rows without them cannot be placed.</summary>
    public static readonly IReadOnlySet<string> SpatialColumns = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "s_ra", "s_dec", "s_region" };

    /// <summary>A region column: text in STC-S as TAP 1.0 services publish ObsCore s_region (xtype <c>adql:REGION</c>; no unit, as ObsCore and taplint want).</summary>
    private static TapColumn RegionColumn(string name, string description, string? utype = null) =>
        new(name, "char", "*", "adql:REGION", null, "pos.outline;obs.field", utype, description);

    /// <summary><c>ivoa.obscore</c>: the ObsCore 1.1 view of the same records.</summary>
    public static readonly TapTable ObsCore = new("ivoa", "ivoa.obscore",
        "ObsCore 1.1 view of the federated records (t_min/t_max in MJD, em_min/em_max in metres, access_url = the broker's " +
        "DataLink service). Needs a bounded time range (conditions on t_min/t_max).",
        TableSource.Records,
        [
            TapColumn.Text("dataproduct_type", "meta.code.class", "Data product type (image, cube, spectrum, timeseries ...); null when the provider does not say", "obscore:ObsDataset.dataProductType") with { Principal = true, Std = true, Domain = new(Values: ProductTypes) },
            TapColumn.Int("calib_level", null, "meta.code;obs.calib", "Calibration level 0-3 (from the provider's level; 0 when the provider gives none)", "obscore:ObsDataset.calibLevel") with { Principal = true, Std = true, Domain = new(NotNull: true, Min: 0, Max: 3) },
            TapColumn.Text("obs_collection", "meta.id", "Broker provider id", "obscore:DataID.Collection") with { Principal = true, Std = true, Indexed = true, Domain = new(NotNull: true) },
            TapColumn.Text("obs_id", "meta.id", "Provider's file id", "obscore:DataID.observationID") with { Principal = true, Std = true, Domain = new(NotNull: true) },
            TapColumn.Text("obs_publisher_did", "meta.ref.ivoid", "Broker dataset id (the DataLink ID)", "obscore:Curation.PublisherDID") with { Principal = true, Std = true, Domain = new(NotNull: true) },
            TapColumn.Text("access_url", "meta.ref.url", "The broker's DataLink {links} URL for this record", "obscore:Access.Reference") with { Principal = true, Std = true, Domain = new(NotNull: true) },
            TapColumn.Text("access_format", "meta.code.mime", "Format of access_url (the DataLink MIME type)", "obscore:Access.Format") with { Principal = true, Std = true, Domain = new(NotNull: true, Values: [DataLinkFormat]) },
            TapColumn.Long("access_estsize", "kbyte", "phys.size;meta.file", "Estimated file size", "obscore:Access.Size") with { Principal = true, Std = true },
            TapColumn.Text("target_name", "meta.id;src", "Target (the Sun)", "obscore:Target.Name") with { Std = true },
            TapColumn.Double("s_ra", "deg", "pos.eq.ra", "Central right ascension, ICRS, as the provider gives it (null when its records have no sky position)", "obscore:Char.SpatialAxis.Coverage.Location.Coord.Position2D.Value2.C1") with { Std = true },
            TapColumn.Double("s_dec", "deg", "pos.eq.dec", "Central declination, ICRS, as the provider gives it (null when its records have no sky position)", "obscore:Char.SpatialAxis.Coverage.Location.Coord.Position2D.Value2.C2") with { Std = true },
            TapColumn.Double("s_fov", "deg", "phys.angSize;instr.fov", "Diameter of the field of view, when the provider gives it", "obscore:Char.SpatialAxis.Coverage.Bounds.Extent.diameter") with { Std = true },
            RegionColumn("s_region", "Sky footprint (STC-S, or the provider's DALI array as numbers), when the provider gives it", "obscore:Char.SpatialAxis.Coverage.Support.Area") with { Std = true },
            TapColumn.Double("s_resolution", "arcsec", "pos.angResolution", "Spatial resolution, when the provider gives it", "obscore:Char.SpatialAxis.Resolution.Refval.value") with { Std = true },
            TapColumn.Long("s_xel1", null, "meta.number", "Pixels along the first spatial axis, when the provider gives it", "obscore:Char.SpatialAxis.numBins1") with { Std = true },
            TapColumn.Long("s_xel2", null, "meta.number", "Pixels along the second spatial axis, when the provider gives it", "obscore:Char.SpatialAxis.numBins2") with { Std = true },
            TapColumn.Double("t_min", "d", "time.start;obs.exposure", "Start time (MJD, UTC)", "obscore:Char.TimeAxis.Coverage.Bounds.Limits.StartTime") with { Principal = true, Std = true, Indexed = true },
            TapColumn.Double("t_max", "d", "time.end;obs.exposure", "Stop time (MJD, UTC)", "obscore:Char.TimeAxis.Coverage.Bounds.Limits.StopTime") with { Principal = true, Std = true, Indexed = true },
            TapColumn.Double("t_exptime", "s", "time.duration;obs.exposure", "Exposure time (null: not given by the providers)", "obscore:Char.TimeAxis.Coverage.Support.Extent") with { Std = true },
            TapColumn.Double("t_resolution", "s", "time.resolution", "Temporal resolution", "obscore:Char.TimeAxis.Resolution.Refval.value") with { Std = true },
            TapColumn.Long("t_xel", null, "meta.number", "Time samples", "obscore:Char.TimeAxis.numBins") with { Std = true },
            TapColumn.Double("em_min", "m", "em.wl;stat.min", "Start of the spectral range (wavelength)", "obscore:Char.SpectralAxis.Coverage.Bounds.Limits.LoLimit") with { Principal = true, Std = true, Indexed = true },
            TapColumn.Double("em_max", "m", "em.wl;stat.max", "End of the spectral range (wavelength)", "obscore:Char.SpectralAxis.Coverage.Bounds.Limits.HiLimit") with { Principal = true, Std = true, Indexed = true },
            TapColumn.Double("em_res_power", null, "spect.resolution", "Spectral resolving power", "obscore:Char.SpectralAxis.Resolution.ResolPower.refVal") with { Std = true },
            TapColumn.Long("em_xel", null, "meta.number", "Spectral samples", "obscore:Char.SpectralAxis.numBins") with { Std = true },
            TapColumn.Text("o_ucd", "meta.ucd", "UCD of the observable", "obscore:Char.ObservableAxis.ucd") with { Std = true },
            TapColumn.Text("pol_states", "meta.code;phys.polarization", "Polarization states", "obscore:Char.PolarizationAxis.stateList") with { Std = true },
            TapColumn.Long("pol_xel", null, "meta.number", "Polarization samples", "obscore:Char.PolarizationAxis.numBins") with { Std = true },
            TapColumn.Text("facility_name", "meta.id;instr.tel", "Observatory or spacecraft", "obscore:Provenance.ObsConfig.Facility.name") with { Std = true, Indexed = true },
            TapColumn.Text("instrument_name", "meta.id;instr", "Instrument", "obscore:Provenance.ObsConfig.Instrument.name") with { Principal = true, Std = true, Indexed = true },
        ])
    {
        Utype = "ivo://ivoa.net/std/ObsCore#core-1.1",
    };

    /// <summary>The broker's id of a record: what DataLink's ID parameter and ObsCore's obs_publisher_did carry.</summary>
    public static string PublisherDid(DataRecord r) => RecordId.Format(r.Provider, r.FileId);

    /// <summary>A <c>vso.records</c> row.</summary>
    public static object?[] RecordRow(DataRecord r, string linksUrl) =>
    [
        r.Provider, r.FileId, r.Source, r.Instrument, r.Detector, r.Physobs, r.Level,
        r.Start?.UtcDateTime, r.End?.UtcDateTime, Finite(r.WaveMin), Finite(r.WaveMax), r.WaveType, r.SizeKb, r.Info, r.DataType,
        r.DownloadUrl, r.ContentType, r.ThumbnailUrl, LinksUrl(linksUrl, r),
        r.Sky?.Ra, r.Sky?.Dec, r.Sky?.FovDeg, r.Sky?.Region, r.Sky?.ResolutionArcsec, r.Sky?.Xel1, r.Sky?.Xel2,
    ];

    /// <summary>An <c>ivoa.obscore</c> row.</summary>
    public static object?[] ObsCoreRow(DataRecord r, string linksUrl) =>
    [
        ProductType(r.DataType), (long)CalibLevel(r.Level), r.Provider, r.FileId, PublisherDid(r), LinksUrl(linksUrl, r), DataLinkFormat,
        r.SizeKb is { } kb ? (long)Math.Round(kb) : null, "Sun",
        r.Sky?.Ra, r.Sky?.Dec, r.Sky?.FovDeg, r.Sky?.Region, r.Sky?.ResolutionArcsec, r.Sky?.Xel1, r.Sky?.Xel2,
        Mjd(r.Start), Mjd(r.End), null, null, null,
        Metres(r.WaveMin), Metres(r.WaveMax), null, null, null, null, null, r.Source, r.Instrument,
    ];

    private static double? Mjd(DateTimeOffset? t) => t is { } v ? SolarTime.ToModifiedJulianDay(v) : null;

    private static string LinksUrl(string linksUrl, DataRecord r) => linksUrl + "?ID=" + Uri.EscapeDataString(PublisherDid(r));

    private static double? Finite(double? v) => v is { } d && double.IsFinite(d) ? d : null;

    private static double? Metres(double? angstrom) => Finite(angstrom) is { } a ? a * 1e-10 : null;

    private static string? ProductType(string? dataType)
    {
        var t = dataType?.Trim().ToLowerInvariant();
        return t switch
        {
            null or "" => null,
            "time series" or "lightcurve" or "light curve" => "timeseries",
            "spectra" or "spectrogram" => "spectrum",
            "images" => "image",
            _ => ProductTypes.Contains(t) ? t : null,
        };
    }

    /// <summary>ObsCore calib_level from a provider level such as <c>L1</c>, <c>1</c>, <c>LL02</c>, <c>level 2</c>; 0 when none is given.</summary>
    public static int CalibLevel(string? level)
    {
        if (string.IsNullOrWhiteSpace(level)) return 0;
        var digits = new string(level.Where(char.IsAsciiDigit).ToArray());
        return digits.Length > 0 && int.TryParse(digits, System.Globalization.CultureInfo.InvariantCulture, out var n) ? Math.Clamp(n, 0, 3) : 0;
    }
}

/// <summary>The broker's record id <c>ivo://vso.broker/records?{provider}/{fileId}</c>, parsed back by DataLink.</summary>
public static class RecordId
{
    private const string Prefix = "ivo://vso.broker/records?";

    public static string Format(string provider, string fileId) => Prefix + provider + "/" + fileId;

    /// <summary>Splits an id into provider and file id; false when it is not one of the broker's ids.</summary>
    public static bool TryParse(string? id, out string provider, out string fileId)
    {
        provider = fileId = string.Empty;
        if (id is null || !id.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var rest = id[Prefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == rest.Length - 1) return false;
        provider = rest[..slash];
        fileId = rest[(slash + 1)..];
        return true;
    }
}
