using System.Globalization;

namespace Broker.Simulators.Data;

/// <summary>
/// Generates the SOAR-like schema: <c>soar.v_sc_data_item</c>, <c>soar.v_ll_data_item</c>, the per-instrument
/// FITS views <c>soar.v_{eui,met,phi,spi,shi}_{sc,ll}_fits</c> (2 rows per file, 4 for SPICE, one per
/// <c>dimension_index</c> — joining without <c>dimension_index='1'</c> duplicates rows, as on the real service),
/// and the vocabularies <c>soar.instrument</c> and <c>soar.soop</c>.
/// </summary>
internal static class SoarGenerator
{
    private const double DailyShare = 0.4;

    public static readonly SimColumn[] DataItemColumns =
    [
        SimColumn.Long("data_item_oid", description: "Internal key; join key to the v_*_fits views", ucd: "meta.id"),
        SimColumn.Text("data_item_id", "File name up to the date part, without version or extension", "meta.id;meta.main"),
        SimColumn.Text("instrument", "Instrument name", "meta.id;instr"),
        SimColumn.Text("descriptor", "Data product descriptor (lower case)"),
        SimColumn.Text("level", "Processing level (L0-L3, LL01-LL03)"),
        SimColumn.Timestamp("begin_time", "Start of the observation (UTC)", "time.start"),
        SimColumn.Timestamp("end_time", "End of the observation (UTC)", "time.end"),
        SimColumn.Text("filename", "File name of the latest version"),
        SimColumn.Text("filepath", "Path of the file in the repository"),
        SimColumn.Long("filesize", "byte", "File size in bytes", "phys.size;meta.file"),
        SimColumn.Text("file_format", "CDF or FITS"),
        SimColumn.Text("soop_name", "Solar Orbiter observing plan name, or none"),
        SimColumn.Text("sensor", "Sensor (EUI, EPD)"),
        SimColumn.Text("is_active", "'True' for the active version, 'False' for deactivated files"),
        SimColumn.Text("data_type", "SCI or LL"),
    ];

    public static readonly SimColumn[] FitsColumns =
    [
        SimColumn.Long("data_item_oid", description: "Key of the data item", ucd: "meta.id"),
        SimColumn.Int("dimension_index", description: "Index of the FITS header / window (1-based)"),
        SimColumn.Text("filename", "File name"),
        SimColumn.Text("level", "Processing level"),
        SimColumn.Text("detector", "Detector"),
        SimColumn.Double("wavelength", description: "Reference wavelength (unitless: EUI Angstrom, METIS nm, PHI mixed)"),
        SimColumn.Double("wavemin", description: "Lower band edge (same convention as wavelength)"),
        SimColumn.Double("wavemax", description: "Upper band edge (same convention as wavelength)"),
        SimColumn.Timestamp("date_average", "Mid-exposure time", "time.epoch"),
        SimColumn.Int("naxis1", "pix", "Image width"),
        SimColumn.Int("naxis2", "pix", "Image height"),
        SimColumn.Text("bunit", "Unit of the data values"),
    ];

    private sealed record Item(
        DateTime Begin, DateTime End, string Instrument, string Descriptor, string Level, long Size,
        string Soop, string? Sensor, bool Active, string? FitsView, FitsWindow[] Windows, bool Daily);

    public static SimCatalog Generate(GenerationContext ctx)
    {
        var items = new List<Item>(ctx.Options.RecordCount + 16);
        AddDaily(ctx, items);
        AddImages(ctx, items, Math.Max(0, ctx.Options.RecordCount - items.Count));
        items.Sort((a, b) =>
        {
            var c = a.Begin.CompareTo(b.Begin);
            if (c != 0) return c;
            c = string.CompareOrdinal(a.Descriptor, b.Descriptor);
            return c != 0 ? c : string.CompareOrdinal(a.Level, b.Level);
        });

        var sc = new List<object?[]>();
        var ll = new List<object?[]>();
        var fits = new Dictionary<string, List<object?[]>>();
        foreach (var view in SoarProducts.FitsViews.Values)
        {
            fits[$"v_{view}_sc_fits"] = [];
            fits[$"v_{view}_ll_fits"] = [];
        }

        long oid = 100_000;
        foreach (var item in items)
        {
            oid++;
            var isLowLatency = item.Level.StartsWith("LL", StringComparison.Ordinal);
            var stamp = item.Daily
                ? item.Begin.ToString("yyyyMMdd", CultureInfo.InvariantCulture)
                : item.Begin.ToString("yyyyMMdd'T'HHmmssfff", CultureInfo.InvariantCulture);
            var id = $"solo_{item.Level}_{item.Descriptor}_{stamp}";
            var format = item.Daily && item.Instrument != "STIX" ? "CDF" : "FITS";
            var filename = $"{id}_V{(oid % 3 == 0 ? "02" : "01")}.{(format == "CDF" ? "cdf" : "fits")}";
            var path = $"/{item.Level}/{item.Instrument.ToLowerInvariant()}/{item.Begin:yyyy/MM/dd}";
            (isLowLatency ? ll : sc).Add(
            [
                oid, id, item.Instrument, item.Descriptor, item.Level, item.Begin, item.End, filename, path, item.Size,
                format, item.Soop, item.Sensor, item.Active ? "True" : "False", isLowLatency ? "LL" : "SCI",
            ]);
            if (item.FitsView is null) continue;
            var table = fits[$"v_{item.FitsView}_{(isLowLatency ? "ll" : "sc")}_fits"];
            var mid = item.Begin + (item.End - item.Begin) / 2;
            for (var i = 0; i < item.Windows.Length; i++)
            {
                var w = item.Windows[i];
                table.Add([oid, (long)(i + 1), filename, item.Level, w.Detector, w.Wavelength, w.WaveMin, w.WaveMax,
                    mid.ToMilliseconds(), 2048L, 2048L, item.Instrument == "PHI" ? "G" : "DN/s"]);
            }
        }

        var tables = new List<SimTable>
        {
            new("soar", "v_sc_data_item", "Latest version of each public science product", DataItemColumns, sc, "begin_time", "end_time"),
            new("soar", "v_ll_data_item", "Latest version of each low-latency product", DataItemColumns, ll, "begin_time", "end_time"),
        };
        foreach (var (name, rows) in fits)
        {
            tables.Add(new SimTable("soar", name, "FITS header values, one row per header (dimension_index)", FitsColumns, rows));
        }

        tables.Add(new SimTable("soar", "instrument", "Instruments", [SimColumn.Text("name"), SimColumn.Text("long_name")],
            Instruments.Select(i => new object?[] { i.Name, i.LongName }).ToList()));
        tables.Add(new SimTable("soar", "soop", "Solar Orbiter observing plans", [SimColumn.Text("soop_name")],
            SoarProducts.Soops.Select(s => new object?[] { s }).ToList()));
        return new SimCatalog(tables);
    }

    private static readonly (string Name, string LongName)[] Instruments =
    [
        ("EPD", "Energetic Particle Detector"), ("EUI", "Extreme Ultraviolet Imager"), ("MAG", "Magnetometer"),
        ("METIS", "Metis coronagraph"), ("PHI", "Polarimetric and Helioseismic Imager"), ("RPW", "Radio and Plasma Waves"),
        ("SOLOHI", "Solar Orbiter Heliospheric Imager"), ("SPICE", "Spectral Imaging of the Coronal Environment"),
        ("STIX", "Spectrometer/Telescope for Imaging X-rays"), ("SWA", "Solar Wind Analyser"),
    ];

    private static void AddDaily(GenerationContext ctx, List<Item> items)
    {
        var days = (int)(ctx.End - ctx.Start).TotalDays;
        var budget = Math.Max(1, ctx.Options.RecordCount * DailyShare);
        var stepDays = Math.Max(1, (int)Math.Ceiling(SoarProducts.Daily.Length * (double)days / budget));
        for (var p = 0; p < SoarProducts.Daily.Length; p++)
        {
            var product = SoarProducts.Daily[p];
            var random = ctx.RandomFor(1000 + p);
            for (var day = p % stepDays; day < days; day += stepDays)
            {
                var missing = random.NextDouble() < 0.02;
                var size = random.NextInt64(product.MinBytes, product.MaxBytes);
                var active = random.NextDouble() >= 0.03;
                if (missing) continue;
                var begin = ctx.Start.AddDays(day);
                items.Add(new Item(begin, begin.AddDays(1).AddMilliseconds(-1), product.Instrument, product.Descriptor, product.Level,
                    size, "none", product.Sensor, active, null, [], Daily: true));
            }
        }
    }

    private static void AddImages(GenerationContext ctx, List<Item> items, int budget)
    {
        if (budget == 0) return;
        var products = SoarProducts.Images;
        var counts = RecordBudget.ShareByWeight(budget, products.Select(p => p.Weight).ToArray());
        var span = ctx.End - ctx.Start;
        for (var p = 0; p < products.Length; p++)
        {
            var product = products[p];
            var count = counts[p];
            var random = ctx.RandomFor(p);
            var spacing = span / Math.Max(1, count);
            var soop = "none";
            for (var i = 0; i < count; i++)
            {
                var begin = (ctx.Start + spacing * (i + random.NextDouble() * 0.9)).ToMilliseconds();
                var duration = random.NextDuration(product.MinDuration, product.MaxDuration);
                // Observing plans run in campaigns: keep the same SOOP for stretches of consecutive files.
                if (i % 20 == 0) soop = random.NextDouble() < 0.35 ? "none" : SoarProducts.Soops[random.Next(SoarProducts.Soops.Length)];
                var level = random.Pick(product.Levels);
                var size = random.NextInt64(product.MinBytes, product.MaxBytes);
                var active = random.NextDouble() >= 0.03;
                var sensor = product.Instrument == "EUI" ? product.Descriptor.Split('-')[1] : product.Sensor;
                items.Add(new Item(begin, (begin + duration).ToMilliseconds(), product.Instrument, product.Descriptor, level, size,
                    soop, sensor, active, product.FitsView, product.Windows, Daily: false));
            }
        }
    }
}
