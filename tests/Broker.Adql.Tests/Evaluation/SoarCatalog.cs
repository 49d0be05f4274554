namespace Broker.Adql.Tests.Evaluation;

/// <summary>A tiny SOAR-like catalog used by the evaluator tests.</summary>
internal static class SoarCatalog
{
    public static readonly AdqlColumn[] DataItemColumns =
    [
        new("data_item_oid", "long"),
        new("data_item_id", "char", "*"),
        new("instrument", "char", "*"),
        new("descriptor", "char", "*"),
        new("level", "char", "*"),
        new("begin_time", "char", "*", "timestamp"),
        new("end_time", "char", "*", "timestamp"),
        new("filesize", "long", Unit: "byte"),
        new("soop_name", "char", "*"),
    ];

    public static readonly AdqlColumn[] FitsColumns =
    [
        new("data_item_oid", "long"),
        new("detector", "char", "*"),
        new("wavelength", "double", Unit: "Angstrom"),
        new("wavemin", "double"),
        new("wavemax", "double"),
        new("dimension_index", "long"),
    ];

    public static InMemoryCatalog Create() => new InMemoryCatalog()
        .Add(new InMemoryTable("soar", "v_sc_data_item", DataItemColumns, DataItems()))
        .Add(new InMemoryTable("soar", "v_eui_sc_fits", FitsColumns, Fits()))
        .Add(new InMemoryTable("TAP_SCHEMA", "columns", [new("column_name", "char", "*"), new("size", "int"), new("c", "char", "*")],
            [["a", 1L, null], ["b", null, "x"], ["c", 3L, null]]))
        .Add(new InMemoryTable("s", "empty", [new("x", "long")], []));

    public static AdqlEvaluator Evaluator() => new(Create());

    public static IReadOnlyList<object?[]> Rows(string adql, long? maxRec = null) => Evaluator().Execute(adql, maxRec).ReadAll();

    public static object?[] Column(string adql) => Rows(adql).Select(r => r[0]).ToArray();

    private static DateTime T(string iso) => DateTime.SpecifyKind(DateTime.Parse(iso, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);

    private static IEnumerable<object?[]> DataItems() =>
    [
        [1L, "solo_L1_eui-fsi174-image_20220211", "EUI", "eui-fsi174-image", "L1", T("2022-02-11T00:00:00"), T("2022-02-11T00:00:10"), 2439000L, "none"],
        [2L, "solo_L1_eui-fsi304-image_20220303", "EUI", "eui-fsi304-image", "L1", T("2022-03-03T04:35:56.272"), T("2022-03-03T04:36:00"), 1500000L, null],
        [3L, "solo_L2_mag-rtn-normal_20230403", "MAG", "mag-rtn-normal", "L2", T("2023-04-03T00:00:00"), T("2023-04-04T00:00:00"), 5000000L, "R_SMALL"],
        [4L, "solo_L2_eui-hrieuv174-image_20220321", "EUI", "eui-hrieuv174-image", "L2", T("2022-03-21T00:00:00"), T("2022-03-21T00:00:05"), 800000L, "R_SMALL"],
        [5L, "solo_L2_rpw-tnr-surv_20220321", "RPW", "rpw-tnr-surv", "L2", T("2022-03-21T12:00:00"), T("2022-03-22T00:00:00"), null, null],
    ];

    private static IEnumerable<object?[]> Fits() =>
    [
        [1L, "FSI", 174.0, 171.0, 185.0, 1L],
        [1L, "FSI", 174.0, 171.0, 185.0, 2L],
        [2L, "FSI", 304.0, 300.0, 310.0, 1L],
        [2L, "FSI", 304.0, 300.0, 310.0, 2L],
        [4L, "HRI_EUV", 174.0, 171.0, 185.0, 1L],
        [4L, "HRI_EUV", 174.0, 171.0, 185.0, 2L],
        [99L, "ORPHAN", null, null, null, 1L],
    ];
}
