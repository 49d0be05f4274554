namespace Broker.Simulators.Data;

/// <summary>One window (FITS header row) of a remote-sensing product: what <c>v_*_fits</c> reports per dimension_index.</summary>
internal sealed record FitsWindow(string Detector, double? Wavelength, double? WaveMin, double? WaveMax);

/// <summary>A SOAR-like product line: instrument + descriptor with its levels, size and duration ranges.</summary>
internal sealed record SoarProduct(
    string Instrument,
    string Descriptor,
    double Weight,
    (string Level, double Weight)[] Levels,
    TimeSpan MinDuration,
    TimeSpan MaxDuration,
    long MinBytes,
    long MaxBytes,
    string? FitsView,
    FitsWindow[] Windows,
    string? Sensor = null);

/// <summary>A daily SOAR-like product (in-situ CDF files, STIX quick-look): one file per day and level.</summary>
internal sealed record SoarDailyProduct(string Instrument, string Descriptor, string Level, long MinBytes, long MaxBytes, string? Sensor = null);

/// <summary>The SOAR-like product catalogue used by the generator (values modelled on the real archive).</summary>
internal static class SoarProducts
{
    private static readonly (string, double)[] RemoteLevels = [("L1", 0.48), ("L2", 0.42), ("LL02", 0.05), ("L0", 0.03), ("L3", 0.02)];
    private static readonly (string, double)[] ScienceLevels = [("L1", 0.5), ("L2", 0.45), ("L0", 0.03), ("L3", 0.02)];

    /// <summary>Instruments with a FITS view and the view's prefix (as sunpy-soar joins them).</summary>
    public static readonly IReadOnlyDictionary<string, string> FitsViews = new Dictionary<string, string>
    {
        ["EUI"] = "eui", ["METIS"] = "met", ["PHI"] = "phi", ["SPICE"] = "spi", ["SOLOHI"] = "shi",
    };

    public static readonly SoarProduct[] Images =
    [
        new("EUI", "eui-fsi174-image", 0.16, RemoteLevels, S(2), S(10), 2_200_000, 2_700_000, "eui", [new("FSI", 174, 171, 185), new("FSI", 174, 171, 185)]),
        new("EUI", "eui-fsi304-image", 0.16, RemoteLevels, S(5), S(20), 2_200_000, 2_700_000, "eui", [new("FSI", 304, 295, 315), new("FSI", 304, 295, 315)]),
        new("EUI", "eui-hrieuv174-image", 0.12, ScienceLevels, S(1), S(6), 8_000_000, 16_800_000, "eui", [new("HRI_EUV", 174, 171, 185), new("HRI_EUV", 174, 171, 185)]),
        new("EUI", "eui-hrilya1216-image", 0.04, ScienceLevels, S(1), S(10), 8_000_000, 16_800_000, "eui", [new("HRI_LYA", 1216, 1200, 1230), new("HRI_LYA", 1216, 1200, 1230)]),
        // METIS reports nm, not Å (SOAR has no unit column): the broker must convert per instrument.
        new("METIS", "metis-uv-image", 0.07, ScienceLevels, S(30), S(600), 4_000_000, 8_500_000, "met", [new("UVD", 121.6, 121.0, 122.2), new("UVD", 121.6, 121.0, 122.2)]),
        new("METIS", "metis-vl-image", 0.07, ScienceLevels, S(30), S(600), 4_000_000, 8_500_000, "met", [new("VLD", 610.0, 580.0, 640.0), new("VLD", 610.0, 580.0, 640.0)]),
        // PHI mixes units: FDT in nm, HRT in Å.
        new("PHI", "phi-fdt-blos", 0.05, ScienceLevels, S(60), S(120), 20_000_000, 80_000_000, "phi", [new("FDT", 617.3, 617.2, 617.4), new("FDT", 617.3, 617.2, 617.4)]),
        new("PHI", "phi-hrt-blos", 0.04, ScienceLevels, S(60), S(120), 20_000_000, 80_000_000, "phi", [new("HRT", 6173.0, 6172.0, 6174.0), new("HRT", 6173.0, 6172.0, 6174.0)]),
        new("PHI", "phi-fdt-icnt", 0.03, ScienceLevels, S(60), S(120), 20_000_000, 60_000_000, "phi", [new("FDT", 617.3, 617.2, 617.4), new("FDT", 617.3, 617.2, 617.4)]),
        // SPICE: four spectral windows, four header rows; only the first is what clients expect.
        new("SPICE", "spice-n-ras", 0.06, ScienceLevels, M(10), M(60), 5_000_000, 50_000_000, "spi",
            [new("SW", 70.6, 70.4, 70.8), new("SW", 77.0, 76.8, 77.2), new("LW", 97.7, 97.5, 97.9), new("LW", 103.2, 103.0, 103.4)]),
        new("SPICE", "spice-n-sit", 0.04, ScienceLevels, M(5), M(30), 5_000_000, 30_000_000, "spi",
            [new("SW", 70.6, 70.4, 70.8), new("SW", 77.0, 76.8, 77.2), new("LW", 97.7, 97.5, 97.9), new("LW", 103.2, 103.0, 103.4)]),
        new("SOLOHI", "solohi-1fg", 0.04, ScienceLevels, M(10), M(40), 8_000_000, 9_000_000, "shi", [new("SOLOHI", 675.0, 500.0, 850.0), new("SOLOHI", 675.0, 500.0, 850.0)]),
        new("SOLOHI", "solohi-2fg", 0.03, ScienceLevels, M(10), M(40), 8_000_000, 9_000_000, "shi", [new("SOLOHI", 675.0, 500.0, 850.0), new("SOLOHI", 675.0, 500.0, 850.0)]),
        new("STIX", "stix-sci-xray-cpd", 0.08, [("L1", 0.9), ("L0", 0.1)], M(5), M(240), 100_000, 20_000_000, null, []),
    ];

    public static readonly SoarDailyProduct[] Daily =
    [
        new("MAG", "mag-rtn-normal", "L2", 5_000_000, 40_000_000),
        new("MAG", "mag-srf-normal", "L2", 5_000_000, 40_000_000),
        new("MAG", "mag-rtn-normal-1-minute", "L2", 100_000, 400_000),
        new("MAG", "mag-rtn-ll", "LL02", 1_000_000, 3_000_000),
        new("SWA", "swa-pas-grnd-mom", "L2", 10_000_000, 200_000_000),
        new("SWA", "swa-his-comp-10min", "L2", 1_000_000, 5_000_000),
        new("RPW", "rpw-tnr-surv", "L2", 50_000_000, 500_000_000),
        new("RPW", "rpw-hfr-surv", "L2", 20_000_000, 200_000_000),
        new("RPW", "rpw-bia-density", "L3", 1_000_000, 10_000_000),
        new("EPD", "epd-het-asun-rates", "L2", 1_000_000, 20_000_000, "HET"),
        new("EPD", "epd-ept-asun-rates", "L2", 1_000_000, 20_000_000, "EPT"),
        new("EPD", "epd-step-rates", "L2", 1_000_000, 20_000_000, "STEP"),
        new("EPD", "epd-het-asun-rates", "LL02", 200_000, 2_000_000, "HET"),
        new("STIX", "stix-ql-lightcurve", "L1", 500_000, 2_000_000),
    ];

    public static readonly string[] Soops =
    [
        "R_SMALL_MRES_MCAD_AR-Long-Term", "R_BOTH_HRES_HCAD_Nanoflares", "L_FULL_HRES_HCAD_Coronal-Dynamics",
        "R_FULL_LRES_LCAD_Synoptics", "L_BOTH_HRES_LCAD_CH-Boundary-Expansion", "R_SMALL_HRES_HCAD_Fast-Wind",
    ];

    private static TimeSpan S(int seconds) => TimeSpan.FromSeconds(seconds);

    private static TimeSpan M(int minutes) => TimeSpan.FromMinutes(minutes);
}
