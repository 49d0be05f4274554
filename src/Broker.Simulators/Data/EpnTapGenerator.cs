using System.Globalization;

namespace Broker.Simulators.Data;

/// <summary>
/// Generates an EPN-TAP 2.0 table <c>&lt;schema&gt;.epn_core</c>: a Nançay-radioheliograph-like radio service
/// (default) or, when the schema name contains <c>bass</c>, a BASS2000/Meudon-spectroheliograph-like optical one.
/// time_min/time_max are Julian days, spectral_range_min/max are Hz, access_estsize is kB, target_class is <c>star</c>.
/// Rows are sorted by time_min.
/// </summary>
internal static class EpnTapGenerator
{
    private const double SpeedOfLight = 299_792_458.0;

    public static readonly SimColumn[] Columns =
    [
        SimColumn.Text("granule_uid", "Unique granule identifier", "meta.id"),
        SimColumn.Text("granule_gid", "Group identifier (same kind of product)", "meta.id"),
        SimColumn.Text("obs_id", "Group identifier (same source data)", "meta.id"),
        SimColumn.Text("dataproduct_type", "Organisation of the data product (im, ds...)", "meta.code.class"),
        SimColumn.Text("target_name", "Target name", "meta.id;src"),
        SimColumn.Text("target_class", "Type of target", "src.class"),
        SimColumn.Double("time_min", "d", "Acquisition start time (JD, UTC)", "time.start"),
        SimColumn.Double("time_max", "d", "Acquisition stop time (JD, UTC)", "time.end"),
        SimColumn.Double("time_sampling_step_min", "s", "Min time sampling step", "time.resolution;stat.min"),
        SimColumn.Double("time_sampling_step_max", "s", "Max time sampling step", "time.resolution;stat.max"),
        SimColumn.Double("time_exp_min", "s", "Min integration time", "time.duration;obs.exposure;stat.min"),
        SimColumn.Double("time_exp_max", "s", "Max integration time", "time.duration;obs.exposure;stat.max"),
        SimColumn.Double("spectral_range_min", "Hz", "Min spectral range (frequency)", "em.freq;stat.min"),
        SimColumn.Double("spectral_range_max", "Hz", "Max spectral range (frequency)", "em.freq;stat.max"),
        SimColumn.Double("spectral_sampling_step_min", "Hz", "Min spectral sampling step", "em.freq.step;stat.min"),
        SimColumn.Double("spectral_sampling_step_max", "Hz", "Max spectral sampling step", "em.freq.step;stat.max"),
        SimColumn.Double("spectral_resolution_min", description: "Min spectral resolution", ucd: "spect.resolution;stat.min"),
        SimColumn.Double("spectral_resolution_max", description: "Max spectral resolution", ucd: "spect.resolution;stat.max"),
        SimColumn.Double("c1min", "arcsec", "Min of first coordinate (HPC x)", "pos.cartesian.x;stat.min"),
        SimColumn.Double("c1max", "arcsec", "Max of first coordinate (HPC x)", "pos.cartesian.x;stat.max"),
        SimColumn.Double("c2min", "arcsec", "Min of second coordinate (HPC y)", "pos.cartesian.y;stat.min"),
        SimColumn.Double("c2max", "arcsec", "Max of second coordinate (HPC y)", "pos.cartesian.y;stat.max"),
        SimColumn.Double("c3min", description: "Min of third coordinate", ucd: "pos;stat.min"),
        SimColumn.Double("c3max", description: "Max of third coordinate", ucd: "pos;stat.max"),
        SimColumn.Text("spatial_frame_type", "Flavour of coordinate system", "meta.code.class;pos.frame"),
        SimColumn.Text("s_region", "ObsCore-like footprint", "pos.outline;obs.field"),
        SimColumn.Text("instrument_host_name", "Observatory or spacecraft", "meta.id;instr.obsty"),
        SimColumn.Text("instrument_name", "Instrument", "meta.id;instr"),
        SimColumn.Text("measurement_type", "UCD(s) of the measured quantity", "meta.ucd"),
        SimColumn.Int("processing_level", description: "CODMAC-like processing level (1-6)", ucd: "meta.calibLevel"),
        SimColumn.Timestamp("creation_date", "Creation of the granule", "time.creation"),
        SimColumn.Timestamp("modification_date", "Last modification", "time.processing"),
        SimColumn.Timestamp("release_date", "Public release", "time.release"),
        SimColumn.Text("service_title", "Service title (schema name)", "meta.title"),
        SimColumn.Text("access_url", "URL of the file", "meta.ref.url;meta.file"),
        SimColumn.Text("access_format", "MIME type of the file", "meta.code.mime"),
        SimColumn.Long("access_estsize", "kbyte", "Estimated file size", "phys.size;meta.file"),
        SimColumn.Text("thumbnail_url", "URL of a thumbnail", "meta.ref.url;meta.preview"),
        SimColumn.Text("file_name", "Name of the file", "meta.id;meta.file"),
        SimColumn.Text("publisher", "Publisher", "meta.curation"),
        SimColumn.Text("filter", "Filter name", "meta.id;instr.filter"),
        SimColumn.Text("detector_name", "Detector", "meta.id;instr.det"),
    ];

    private sealed record Band(string Name, double HzMin, double HzMax, string Filter, string Detector);

    private sealed record Flavour(
        string Host, string Instrument, string Publisher, string ProductType, string Measurement, string Format,
        double DayStartHours, double DayLengthHours, double MinExpS, double MaxExpS, long MinKb, long MaxKb, Band[] Bands);

    private static readonly Flavour Radio = new(
        "Nancay Radio Observatory", "NRH", "PADC/Nancay", "im", "phys.flux.density;em.radio", "application/fits",
        8.5, 7.0, 60, 900, 2_000, 40_000,
        [.. new[] { 150.9, 173.2, 228.0, 270.6, 298.7, 327.0, 408.0, 432.0 }.Select(mhz =>
            new Band(mhz.ToString("0.0", CultureInfo.InvariantCulture), Math.Round((mhz - 0.35) * 1e6), Math.Round((mhz + 0.35) * 1e6),
                mhz.ToString("0.0", CultureInfo.InvariantCulture) + " MHz", "NRH2"))]);

    private static readonly Flavour OpticalFlavour = new(
        "Observatoire de Paris-Meudon", "Spectroheliograph", "BASS2000", "im", "phot.flux.density;em.opt", "image/fits",
        7.0, 10.0, 30, 120, 1_000, 8_000,
        [OpticalBand("ha", 6562.8, 0.25, "H Alpha"), OpticalBand("cak", 3933.7, 0.15, "CaII K")]);

    private static Band OpticalBand(string name, double lambdaA, double widthA, string filter) =>
        new(name, SpeedOfLight / ((lambdaA + widthA / 2) * 1e-10), SpeedOfLight / ((lambdaA - widthA / 2) * 1e-10), filter, "CCD");

    public static SimCatalog Generate(GenerationContext ctx)
    {
        var schema = string.IsNullOrWhiteSpace(ctx.Options.Schema) ? "nrh" : ctx.Options.Schema.Trim().ToLowerInvariant();
        var flavour = schema.Contains("bass", StringComparison.Ordinal) ? OpticalFlavour : Radio;
        var count = ctx.Options.RecordCount;
        var random = ctx.RandomFor(0);
        var days = (ctx.End - ctx.Start).TotalDays;
        var observingSeconds = days * flavour.DayLengthHours * 3600;
        var rows = new List<object?[]>(count);
        for (var i = 0; i < count; i++)
        {
            // Spread granules over the daily observing windows only (ground-based: no night data).
            var position = (i + random.NextDouble() * 0.9) * observingSeconds / Math.Max(1, count);
            var day = Math.Floor(position / (flavour.DayLengthHours * 3600));
            var within = position - day * flavour.DayLengthHours * 3600;
            var begin = ctx.Start.AddDays(day).AddHours(flavour.DayStartHours).AddSeconds(within).ToMilliseconds();
            var exposure = Math.Round(flavour.MinExpS + random.NextDouble() * (flavour.MaxExpS - flavour.MinExpS));
            var band = flavour.Bands[random.Next(flavour.Bands.Length)];
            rows.Add(Row(ctx, schema, flavour, band, begin, begin.AddSeconds(exposure), random));
        }

        return new SimCatalog([new SimTable(schema, "epn_core", $"EPN-TAP 2.0 granules of {flavour.Instrument} ({schema})", Columns, rows, "time_min", "time_max")]);
    }

    private static object?[] Row(GenerationContext ctx, string schema, Flavour f, Band band, DateTime begin, DateTime end, Random random)
    {
        var stamp = begin.ToString("yyyyMMdd'_'HHmmssfff", CultureInfo.InvariantCulture);
        var uid = $"{schema}_{band.Name}_{stamp}";
        var file = uid + (f.Format == "application/fits" || f.Format == "image/fits" ? ".fits" : ".dat");
        var created = begin.Date.AddDays(1).AddHours(3);
        var level = random.NextDouble() < 0.85 ? 3L : 2L;
        return
        [
            uid, $"{schema}_{band.Name}", $"{schema}_{begin:yyyyMMdd}", f.ProductType, "Sun", "star",
            Julian.ToJd(begin), Julian.ToJd(end), 1.0, 1.0, 1.0, 1.0,
            band.HzMin, band.HzMax, band.HzMax - band.HzMin, band.HzMax - band.HzMin, (band.HzMin + band.HzMax) / 2 / (band.HzMax - band.HzMin),
            (band.HzMin + band.HzMax) / 2 / (band.HzMax - band.HzMin),
            -1200.0, 1200.0, -1200.0, 1200.0, null, null, "celestial", null,
            f.Host, f.Instrument, f.Measurement, level, created, created, created, schema,
            ctx.DataUrl + "?ID=" + Uri.EscapeDataString(uid), f.Format, random.NextInt64(f.MinKb, f.MaxKb), null, file,
            f.Publisher, band.Filter, band.Detector,
        ];
    }
}
