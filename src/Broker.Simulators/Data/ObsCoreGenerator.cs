using System.Globalization;

namespace Broker.Simulators.Data;

/// <summary>
/// Generates <c>ivoa.obscore</c> with SDO AIA/HMI-like products: t_min/t_max in MJD, em_min/em_max in metres,
/// access_estsize in kB, access_url pointing at the simulator's own data endpoint. Rows are sorted by t_min.
/// The spatial axis is the Sun's: s_ra/s_dec its centre at the observation time, s_region the field (an STC-S square
/// for AIA, a circle for HMI); every tenth record of a product has no pointing (null centre and region), as archives
/// publish rows whose pointing was never computed.
/// Also used by the Bench kind, with every record packed into a short window.
/// </summary>
internal static class ObsCoreGenerator
{
    public static readonly SimColumn[] Columns =
    [
        SimColumn.Text("dataproduct_type", "Data product type (image, cube...)", "meta.code.class"),
        SimColumn.Int("calib_level", description: "Calibration level 0-4", ucd: "meta.code;obs.calib"),
        SimColumn.Text("obs_collection", "Collection name", "meta.id"),
        SimColumn.Text("obs_id", "Observation id", "meta.id"),
        SimColumn.Text("obs_publisher_did", "Publisher dataset id (unique)", "meta.ref.ivoid"),
        SimColumn.Text("access_url", "URL of the file", "meta.ref.url"),
        SimColumn.Text("access_format", "MIME type of the file", "meta.code.mime"),
        SimColumn.Long("access_estsize", "kbyte", "Estimated file size", "phys.size;meta.file"),
        SimColumn.Text("target_name", "Target", "meta.id;src"),
        SimColumn.Double("s_ra", "deg", "Central right ascension, ICRS", "pos.eq.ra"),
        SimColumn.Double("s_dec", "deg", "Central declination, ICRS", "pos.eq.dec"),
        SimColumn.Double("s_fov", "deg", "Field of view diameter", "phys.angSize;instr.fov"),
        new("s_region", "char", "*", "adql:REGION", "deg", "pos.outline;obs.field", "Sky region (STC-S)"),
        SimColumn.Double("s_resolution", "arcsec", "Spatial resolution", "pos.angResolution"),
        SimColumn.Long("s_xel1", description: "Pixels along axis 1", ucd: "meta.number"),
        SimColumn.Long("s_xel2", description: "Pixels along axis 2", ucd: "meta.number"),
        SimColumn.Double("t_min", "d", "Start time (MJD)", "time.start;obs.exposure"),
        SimColumn.Double("t_max", "d", "Stop time (MJD)", "time.end;obs.exposure"),
        SimColumn.Double("t_exptime", "s", "Exposure time", "time.duration;obs.exposure"),
        SimColumn.Double("t_resolution", "s", "Temporal resolution", "time.resolution"),
        SimColumn.Long("t_xel", description: "Time samples", ucd: "meta.number"),
        SimColumn.Double("em_min", "m", "Start of the spectral range (wavelength)", "em.wl;stat.min"),
        SimColumn.Double("em_max", "m", "End of the spectral range (wavelength)", "em.wl;stat.max"),
        SimColumn.Double("em_res_power", description: "Spectral resolving power", ucd: "spect.resolution"),
        SimColumn.Long("em_xel", description: "Spectral samples", ucd: "meta.number"),
        SimColumn.Text("o_ucd", "UCD of the observable", "meta.ucd"),
        SimColumn.Text("pol_states", "Polarization states", "meta.code;phys.polarization"),
        SimColumn.Long("pol_xel", description: "Polarization samples", ucd: "meta.number"),
        SimColumn.Text("facility_name", "Observatory or facility", "meta.id;instr.tel"),
        SimColumn.Text("instrument_name", "Instrument", "meta.id;instr"),
    ];

    private sealed record Product(
        string Instrument, string Series, string Channel, double WavelengthA, double WidthA, double Weight, double FovDeg, double PixelArcsec,
        double CadenceS, double ExposureS, int CalibLevel, string Ucd, string? PolStates, long MinKb, long MaxKb);

    /// <summary>AIA's field: 4096 pixels of 0.6 arcsec (41 arcmin square); s_fov is the diameter of the circle around it.</summary>
    private const double Aia = 4096 * 0.6 / 3600 * 1.4142135623730951;

    /// <summary>HMI's field: 4096 pixels of 0.5 arcsec, published as a circle of that diameter.</summary>
    private const double Hmi = 4096 * 0.5 / 3600;

    private static readonly Product[] Products =
    [
        new("AIA", "aia.lev1_euv_12s", "94", 94, 1.0, 0.08, Aia, 0.6, 12, 2.9, 1, "phot.flux.density;em.UV.10-50nm", null, 8_000, 14_000),
        new("AIA", "aia.lev1_euv_12s", "131", 131, 1.2, 0.08, Aia, 0.6, 12, 2.9, 1, "phot.flux.density;em.UV.10-50nm", null, 8_000, 14_000),
        new("AIA", "aia.lev1_euv_12s", "171", 171, 1.5, 0.12, Aia, 0.6, 12, 2.0, 1, "phot.flux.density;em.UV.10-50nm", null, 9_000, 15_000),
        new("AIA", "aia.lev1_euv_12s", "193", 193, 1.8, 0.12, Aia, 0.6, 12, 2.0, 1, "phot.flux.density;em.UV.10-50nm", null, 9_000, 15_000),
        new("AIA", "aia.lev1_euv_12s", "211", 211, 2.0, 0.08, Aia, 0.6, 12, 2.9, 1, "phot.flux.density;em.UV.10-50nm", null, 8_000, 14_000),
        new("AIA", "aia.lev1_euv_12s", "304", 304, 3.0, 0.10, Aia, 0.6, 12, 2.9, 1, "phot.flux.density;em.UV.10-50nm", null, 8_000, 14_000),
        new("AIA", "aia.lev1_euv_12s", "335", 335, 3.0, 0.06, Aia, 0.6, 12, 2.9, 1, "phot.flux.density;em.UV.10-50nm", null, 8_000, 14_000),
        new("AIA", "aia.lev1_uv_24s", "1600", 1600, 30, 0.06, Aia, 0.6, 24, 2.0, 1, "phot.flux.density;em.UV.100-200nm", null, 7_000, 12_000),
        new("AIA", "aia.lev1_uv_24s", "1700", 1700, 30, 0.05, Aia, 0.6, 24, 2.0, 1, "phot.flux.density;em.UV.100-200nm", null, 7_000, 12_000),
        new("HMI", "hmi.m_45s", "magnetogram", 6173.0, 0.153, 0.13, Hmi, 0.5, 45, 45, 2, "phys.magField", "/I/V/", 11_000, 16_000),
        new("HMI", "hmi.ic_45s", "continuum", 6173.0, 0.153, 0.12, Hmi, 0.5, 45, 45, 2, "phot.flux.density;em.opt", "/I/", 11_000, 16_000),
    ];

    public static SimCatalog Generate(GenerationContext ctx) => Generate(ctx, ctx.Start, ctx.End, "sdo");

    /// <summary>Generates <see cref="SimulatedProviderOptions.RecordCount"/> rows spread over [start, end).</summary>
    public static SimCatalog Generate(GenerationContext ctx, DateTime start, DateTime end, string authority)
    {
        var budget = ctx.Options.RecordCount;
        var counts = RecordBudget.ShareByWeight(budget, Products.Select(p => p.Weight).ToArray());
        var rows = new List<object?[]>(budget);
        var span = end - start;
        for (var p = 0; p < Products.Length; p++)
        {
            var product = Products[p];
            var count = counts[p];
            var random = ctx.RandomFor(p);
            var spacing = span / Math.Max(1, count);
            for (var i = 0; i < count; i++)
            {
                var begin = (start + spacing * (i + random.NextDouble() * 0.9)).ToMilliseconds();
                rows.Add(Row(ctx, product, begin, random, authority, i));
            }
        }

        rows.Sort((a, b) =>
        {
            var c = ((double)a[16]!).CompareTo((double)b[16]!);
            return c != 0 ? c : string.CompareOrdinal((string)a[4]!, (string)b[4]!);
        });
        return new SimCatalog([new SimTable("ivoa", "obscore", "ObsCore 1.1 observation table (SDO-like products)", Columns, rows, "t_min", "t_max")]);
    }

    /// <summary>The file itself, or the provider's own DataLink service for most records of a DataLink provider.</summary>
    private static string AccessUrl(GenerationContext ctx, string did) =>
        (HasLinks(ctx, did) ? ctx.DataUrl[..ctx.DataUrl.LastIndexOf('/')] + "/links" : ctx.DataUrl) + "?ID=" + Uri.EscapeDataString(did);

    private static string AccessFormat(GenerationContext ctx, string did) =>
        HasLinks(ctx, did) ? Broker.TapService.DataLink.LinksDocument.ContentType : "application/fits";

    private static bool HasLinks(GenerationContext ctx, string did) =>
        ctx.Options.DataLink && Files.SimulatedLinks.KindOf(did) != Files.SimulatedLinks.Kind.File;

    private static object?[] Row(GenerationContext ctx, Product p, DateTime begin, Random random, string authority, int index)
    {
        var stamp = begin.ToString("yyyy-MM-dd'T'HH:mm:ss.ff'Z'", CultureInfo.InvariantCulture);
        var did = $"ivo://{authority}.sim/{p.Instrument.ToLowerInvariant()}?{p.Series}_{p.Channel}_{begin:yyyyMMdd'T'HHmmssfff}_{index}";
        var end = begin.AddSeconds(p.ExposureS);
        var kb = random.NextInt64(p.MinKb, p.MaxKb);
        var calib = p.Instrument == "AIA" && random.NextDouble() < 0.2 ? 2 : p.CalibLevel;
        var (ra, dec, region) = index % 10 == 9 ? (null, null, null) : Pointing(p, begin);
        return
        [
            "image", (long)calib, $"SDO/{p.Instrument}", $"{p.Series}[{stamp}][{p.Channel}]", did,
            AccessUrl(ctx, did), AccessFormat(ctx, did), kb, "Sun",
            ra, dec, Math.Round(p.FovDeg, 6), region, p.PixelArcsec, 4096L, 4096L,
            Julian.ToMjd(begin), Julian.ToMjd(end), p.ExposureS, p.CadenceS, 1L,
            (p.WavelengthA - p.WidthA / 2) * 1e-10, (p.WavelengthA + p.WidthA / 2) * 1e-10, p.WavelengthA / p.WidthA, 1L,
            p.Ucd, p.PolStates, p.PolStates is null ? 1L : (long)(p.PolStates.Count(c => c == '/') - 1), "SDO", p.Instrument,
        ];
    }

    /// <summary>The Sun's centre at <paramref name="begin"/> and the field around it as STC-S (degrees, ICRS, 6 decimals).</summary>
    private static (double? Ra, double? Dec, string? Region) Pointing(Product p, DateTime begin)
    {
        var (ra, dec) = SunPosition.At(begin);
        ra = Math.Round(ra, 6);
        dec = Math.Round(dec, 6);
        if (p.Instrument != "AIA") return (ra, dec, FormattableString.Invariant($"CIRCLE ICRS {ra:0.######} {dec:0.######} {p.FovDeg / 2:0.######}"));
        // A square aligned with RA/Dec, vertices counter-clockwise on the sky (east = increasing RA), RA of each corner
        // widened by 1/cos(dec) of its own declination and kept in [0, 360).
        var half = p.FovDeg / Math.Sqrt(2) / 2;
        var corners = new[] { (-half, -half), (half, -half), (half, half), (-half, half) }.Select(c =>
        {
            var d = dec + c.Item2;
            var a = (ra + c.Item1 / Math.Cos(d * Math.PI / 180) + 360) % 360;
            return FormattableString.Invariant($"{a:0.######} {d:0.######}");
        });
        return (ra, dec, "POLYGON ICRS " + string.Join(' ', corners));
    }
}
