using System.Globalization;
using System.Text;

namespace Broker.EndToEnd.Tests.Dachs;

/// <summary>
/// The deterministic data DaCHS serves in the tests (brokertest.rd): about 60,000 Solar Orbiter-like data items and
/// 23,000 ObsCore rows over the first half of 2023. Most products are series of files that abut (one ends where the
/// next begins), so an instant on a file boundary is a real edge; some have gaps; STIX flare-list and GOES event
/// records have no duration (begin = end); a few superseded SOAR rows are inactive.
/// </summary>
public static class DachsData
{
    /// <summary>The first instant with data.</summary>
    public static readonly DateTime Begin = new(2023, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The end of the data (exclusive).</summary>
    public static readonly DateTime End = new(2023, 7, 1, 0, 0, 0, DateTimeKind.Utc);

    // DaCHS reads CSV in the locale's encoding (ASCII here): no byte-order mark, ASCII content only.
    private static readonly Encoding Ascii = new ASCIIEncoding();

    private static readonly DateTime MjdEpoch = new(1858, 11, 17, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>One series of SOAR files: every <paramref name="Cadence"/> a file of <paramref name="Duration"/>.</summary>
    private sealed record SoarProduct(string Instrument, string Descriptor, string Level, string? Detector, double? Wave, double? WaveMin,
        double? WaveMax, TimeSpan Cadence, TimeSpan Duration, long Size, string? Soop = null);

    private static readonly SoarProduct[] SoarProducts =
    [
        new("EUI", "eui-fsi174-image", "L2", "FSI", 174, 171, 177, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(30), 4_200_000, "R_SMALL_MRES_MCAD_AR-LONG-TERM"),
        new("EUI", "eui-fsi304-image", "L2", "FSI", 304, 301, 307, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(30), 4_300_000),
        new("EUI", "eui-fsi174-image", "L1", "FSI", 174, 171, 177, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(30), 8_100_000),
        new("EUI", "eui-hrieuv174-image", "L2", "HRI_EUV", 174, 171, 177, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(10), 16_700_000),
        new("EUI", "eui-hrilya1216-image", "L2", "HRI_LYA", 1216, 1200, 1230, TimeSpan.FromHours(1), TimeSpan.FromHours(1), 16_700_000),
        new("METIS", "metis-vl-image", "L2", "VLD", 610, 580, 640, TimeSpan.FromHours(1), TimeSpan.FromHours(1), 8_400_000),
        new("METIS", "metis-uv-image", "L2", "UVD", 121.6, 121.1, 122.1, TimeSpan.FromHours(2), TimeSpan.FromHours(2), 4_200_000),
        new("PHI", "phi-fdt-blos", "L2", "FDT", 6173, 6172.5, 6173.5, TimeSpan.FromHours(2), TimeSpan.FromMinutes(1), 33_600_000),
        new("SPICE", "spice-n-ras", "L2", "SW", 75, 70.4, 79.0, TimeSpan.FromHours(3), TimeSpan.FromHours(3), 57_000_000),
        new("STIX", "stix-sci-xray-cpd", "L1", null, null, null, null, TimeSpan.FromHours(6), TimeSpan.FromHours(6), 2_500_000),
        new("MAG", "mag-rtn-normal", "L2", null, null, null, null, TimeSpan.FromDays(1), TimeSpan.FromDays(1), 11_000_000),
        new("RPW", "rpw-tnr-surv", "L2", null, null, null, null, TimeSpan.FromDays(1), TimeSpan.FromDays(1), 25_000_000),
    ];

    /// <summary>One series of ObsCore files.</summary>
    private sealed record ObsProduct(string Facility, string Instrument, string Collection, string Name, int CalibLevel, string Type,
        double EmMin, double EmMax, string Ucd, TimeSpan Cadence, TimeSpan Duration, long SizeKb);

    private static readonly ObsProduct[] MainProducts =
    [
        new("SDO", "AIA", "SDO/AIA", "aia_lev2_171", 2, "image", 1.69e-8, 1.73e-8, "phot.flux.density;em.UV", TimeSpan.FromHours(1), TimeSpan.FromHours(1), 33_000),
        new("SDO", "AIA", "SDO/AIA", "aia_lev2_193", 2, "image", 1.91e-8, 1.95e-8, "phot.flux.density;em.UV", TimeSpan.FromHours(1), TimeSpan.FromHours(1), 33_000),
        new("SDO", "AIA", "SDO/AIA", "aia_lev2_304", 2, "image", 3.02e-8, 3.06e-8, "phot.flux.density;em.UV", TimeSpan.FromHours(1), TimeSpan.FromHours(1), 33_000),
        new("SDO", "AIA", "SDO/AIA", "aia_lev1_171", 1, "image", 1.69e-8, 1.73e-8, "phot.flux.density;em.UV", TimeSpan.FromHours(2), TimeSpan.FromHours(2), 66_000),
        new("SDO", "HMI", "SDO/HMI", "hmi_m_45s", 2, "image", 6.1730e-7, 6.1734e-7, "phys.magField", TimeSpan.FromHours(2), TimeSpan.FromSeconds(45), 16_000),
    ];

    private static readonly ObsProduct[] OtherProducts =
    [
        new("Solar Orbiter", "EUI", "SOLO/EUI", "solo_eui_fsi174", 2, "image", 1.71e-8, 1.77e-8, "phot.flux.density;em.UV", TimeSpan.FromHours(2), TimeSpan.FromHours(2), 4_100),
        new("Solar Orbiter", "EUI", "SOLO/EUI", "solo_eui_fsi304", 2, "image", 3.01e-8, 3.07e-8, "phot.flux.density;em.UV", TimeSpan.FromHours(2), TimeSpan.FromHours(2), 4_200),
    ];

    /// <summary>Writes soar.csv, obscore_main.csv and obscore_other.csv into <paramref name="directory"/>.</summary>
    public static void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "soar.csv"), SoarCsv(), Ascii);
        var main = ObsRows(MainProducts, "sdo").Concat(GoesEvents()).ToList();
        File.WriteAllText(Path.Combine(directory, "obscore_main.csv"), ObsCsv(main), Ascii);
        // The other table also serves January's AIA 171 files under the same publisher DIDs (a mirrored dataset).
        var mirrored = main.Where(r => r.Name == "aia_lev2_171" && r.Start < new DateTime(2023, 2, 1, 0, 0, 0, DateTimeKind.Utc));
        File.WriteAllText(Path.Combine(directory, "obscore_other.csv"), ObsCsv(ObsRows(OtherProducts, "solo").Concat(mirrored)), Ascii);
    }

    /// <summary>The MJD of an instant, as exactly as a double holds it (the same arithmetic for data and checks).</summary>
    public static double Mjd(DateTime t) => (t - MjdEpoch).Ticks / (double)TimeSpan.TicksPerDay;

    /// <summary>A double written so that it reads back identically.</summary>
    public static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Iso(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    private static string SoarCsv()
    {
        var csv = new StringBuilder("data_item_oid,data_item_id,filename,instrument,descriptor,level,begin_time,end_time,filesize,soop_name,sensor,is_active,detector,wavelength,wavemin,wavemax\n");
        long oid = 1;
        void Row(SoarProduct p, DateTime begin, DateTime end, string version, bool active, string descriptor)
        {
            var id = $"solo_{p.Level}_{descriptor}_{begin:yyyyMMdd'T'HHmmssfff}";
            csv.Append(CultureInfo.InvariantCulture,
                $"{oid++},{id},{id}_{version}.fits,{p.Instrument},{descriptor},{p.Level},{Iso(begin)},{Iso(end)},{p.Size + oid % 1000},{p.Soop},,{(active ? "True" : "False")},{p.Detector},{Opt(p.Wave)},{Opt(p.WaveMin)},{Opt(p.WaveMax)}\n");
        }
        foreach (var p in SoarProducts)
            for (var t = Begin; t < End; t += p.Cadence)
                Row(p, t, t + p.Duration, "V01", true, p.Descriptor);
        // Superseded versions: the first FSI 174 L2 file of each day also exists as an inactive V00.
        var fsi = SoarProducts[0];
        for (var t = Begin; t < End; t = t.AddDays(1)) Row(fsi, t, t + fsi.Duration, "V00", false, fsi.Descriptor);
        // STIX flare-list entries are instants (begin = end), at deterministic minutes of each day.
        var stix = new SoarProduct("STIX", "stix-ql-flarelist", "L1", null, null, null, null, TimeSpan.Zero, TimeSpan.Zero, 20_000);
        for (var day = Begin; day < End; day = day.AddDays(1))
            foreach (var minute in new[] { 137 + day.DayOfYear % 60, 611 + day.DayOfYear % 97, 1201 + day.DayOfYear % 113 })
            {
                var t = day.AddMinutes(minute).AddSeconds(17);
                Row(stix, t, t, "V01", true, stix.Descriptor);
            }
        return csv.ToString();
    }

    private static string Opt(double? v) => v is { } d ? R(d) : "";

    private sealed record ObsRow(string Name, string Did, DateTime Start, DateTime End, ObsProduct Product);

    private static IEnumerable<ObsRow> ObsRows(IEnumerable<ObsProduct> products, string authorityPath)
    {
        foreach (var p in products)
            for (var t = Begin; t < End; t += p.Cadence)
                yield return new ObsRow(p.Name, $"ivo://broker.test/{authorityPath}?{p.Name}_{t:yyyyMMdd'T'HHmmss}", t, t + p.Duration, p);
    }

    /// <summary>GOES/XRS flare events: instants (t_min = t_max), two a day.</summary>
    private static IEnumerable<ObsRow> GoesEvents()
    {
        var xrs = new ObsProduct("GOES", "XRS", "GOES/XRS flares", "xrs_flare", 2, "event", 1e-10, 8e-10, "phot.flux;em.X-ray", TimeSpan.Zero, TimeSpan.Zero, 1);
        for (var day = Begin; day < End; day = day.AddDays(1))
            foreach (var minute in new[] { 301 + day.DayOfYear % 71, 1003 + day.DayOfYear % 89 })
            {
                var t = day.AddMinutes(minute).AddSeconds(41);
                yield return new ObsRow(xrs.Name, $"ivo://broker.test/goes?xrs_flare_{t:yyyyMMdd'T'HHmmss}", t, t, xrs);
            }
    }

    private static string ObsCsv(IEnumerable<ObsRow> rows)
    {
        var csv = new StringBuilder("dataproduct_type,calib_level,obs_collection,obs_id,obs_publisher_did,access_url,access_format,access_estsize,target_name,t_min,t_max,t_exptime,em_min,em_max,o_ucd,facility_name,instrument_name\n");
        foreach (var r in rows)
        {
            var p = r.Product;
            var obsId = r.Did[(r.Did.IndexOf('?') + 1)..];
            csv.Append(CultureInfo.InvariantCulture,
                $"{p.Type},{p.CalibLevel},{p.Collection},{obsId},{r.Did},http://data.broker.test/{obsId}.fits,application/fits,{p.SizeKb},Sun,{R(Mjd(r.Start))},{R(Mjd(r.End))},{R((r.End - r.Start).TotalSeconds)},{R(p.EmMin)},{R(p.EmMax)},{p.Ucd},{p.Facility},{p.Instrument}\n");
        }
        return csv.ToString();
    }
}
