namespace Broker.Adql.Tests.Evaluation;

/// <summary>Large inputs: the results must be exact (timings live in the benchmarks, not here).</summary>
public class EvaluatorLargeInputTests
{
    private static readonly string[] Instruments = ["EUI", "MAG", "RPW", "SPICE", "STIX"];

    [Fact]
    public void Execute_SimpleWhereOver200kRows_ReturnsExactlyTheMatches()
    {
        var catalog = new InMemoryCatalog().Add(new InMemoryTable("soar", "v_sc_data_item", Columns, MakeRows(200_000)));
        var evaluator = new AdqlEvaluator(catalog);
        const string adql = "SELECT * FROM v_sc_data_item WHERE instrument = 'EUI' AND begin_time >= '2022-03-21 00:00:00' AND level = 'L2'";
        var rows = evaluator.Execute(adql).ReadAll();

        Assert.Equal(ExpectedMatches(200_000), rows.Count);
    }

    [Fact]
    public void Execute_JoinUsingOver100kRows_JoinsOneToOne()
    {
        var fits = Enumerable.Range(0, 100_000).Select(i => new object?[] { (long)i, "FSI", 174.0 }).ToList();
        var catalog = new InMemoryCatalog()
            .Add(new InMemoryTable("soar", "v_sc_data_item", Columns, MakeRows(100_000)))
            .Add(new InMemoryTable("soar", "v_eui_sc_fits", [new("data_item_oid", "long"), new("detector", "char", "*"), new("wavelength", "double")], fits));
        var evaluator = new AdqlEvaluator(catalog);

        var count = evaluator.Execute("SELECT h1.data_item_oid, h2.detector FROM v_sc_data_item AS h1 JOIN v_eui_sc_fits AS h2 USING (data_item_oid) WHERE h2.wavelength = '174.0'").ReadAll().Count;

        Assert.Equal(100_000, count);
    }

    private static readonly AdqlColumn[] Columns =
    [
        new("data_item_oid", "long"),
        new("instrument", "char", "*"),
        new("level", "char", "*"),
        new("begin_time", "char", "*", "timestamp"),
        new("filesize", "long"),
    ];

    private static List<object?[]> MakeRows(int count)
    {
        var start = new DateTime(2022, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        return Enumerable.Range(0, count)
            .Select(i => new object?[] { (long)i, Instruments[i % 5], i % 2 == 0 ? "L1" : "L2", start.AddMinutes(i), (long)i * 10 })
            .ToList();
    }

    private static int ExpectedMatches(int count)
    {
        var threshold = new DateTime(2022, 3, 21, 0, 0, 0, DateTimeKind.Utc);
        var start = new DateTime(2022, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        return Enumerable.Range(0, count).Count(i => i % 5 == 0 && i % 2 == 1 && start.AddMinutes(i) >= threshold);
    }
}
