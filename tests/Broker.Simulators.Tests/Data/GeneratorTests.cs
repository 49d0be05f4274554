using Broker.Simulators.Data;

namespace Broker.Simulators.Tests.Data;

public sealed class GeneratorTests
{
    private static ProviderData Generate(SimulatorKind kind, int seed, int count = 3_000) =>
        ProviderData.Generate(new SimulatedProviderOptions { Name = "p", Kind = kind, Seed = seed, RecordCount = count }, "http://127.0.0.1:1/p/data");

    [Theory]
    [InlineData(SimulatorKind.Soar)]
    [InlineData(SimulatorKind.ObsCore)]
    [InlineData(SimulatorKind.EpnTap)]
    [InlineData(SimulatorKind.Bench)]
    public void Generate_SameSeed_SameRows_DifferentSeed_DifferentRows(SimulatorKind kind)
    {
        var a = Generate(kind, 7);
        var b = Generate(kind, 7);
        var c = Generate(kind, 8);

        foreach (var table in a.Catalog.Tables)
        {
            var other = b.Catalog.Find(table.QualifiedName)!;
            Assert.Equal(table.Rows.Count, other.Rows.Count);
            for (var i = 0; i < table.Rows.Count; i++) Assert.Equal(table.Rows[i], other.Rows[i]);
        }

        var main = a.Catalog.Tables[0];
        Assert.NotEqual(main.Rows.Select(r => r[main.Ordinal(main.TimeColumn!)]), c.Catalog.Tables[0].Rows.Select(r => r[main.Ordinal(main.TimeColumn!)]));
    }

    [Fact]
    public void Soar_FitsViews_HaveTwoRowsPerFileAndFourForSpice()
    {
        var catalog = Generate(SimulatorKind.Soar, 1, 20_000).Catalog;

        foreach (var (view, perFile) in new[] { ("v_eui_sc_fits", 2), ("v_met_sc_fits", 2), ("v_phi_sc_fits", 2), ("v_shi_sc_fits", 2), ("v_spi_sc_fits", 4) })
        {
            var t = catalog.Find(view)!;
            Assert.NotEmpty(t.Rows);
            Assert.All(t.Rows.GroupBy(r => (long)r[0]!), g => Assert.Equal(perFile, g.Count()));
        }
    }

    [Fact]
    public void Soar_RowsLookLikeTheArchive()
    {
        var items = Generate(SimulatorKind.Soar, 1, 20_000).Catalog.Find("v_sc_data_item")!;
        string Col(object?[] r, string c) => r[items.Ordinal(c)]?.ToString() ?? string.Empty;

        var total = items.Rows.Count + Generate(SimulatorKind.Soar, 1, 20_000).Catalog.Find("v_ll_data_item")!.Rows.Count;
        Assert.InRange(total, 19_800, 20_000);
        Assert.Contains(items.Rows, r => Col(r, "is_active") == "False");
        Assert.All(items.Rows, r => Assert.StartsWith(Col(r, "data_item_id"), Col(r, "filename"), StringComparison.Ordinal));
        Assert.Equal(
            new[] { "EPD", "EUI", "MAG", "METIS", "PHI", "RPW", "SOLOHI", "SPICE", "STIX", "SWA" },
            items.Rows.Select(r => Col(r, "instrument")).Distinct().Order(StringComparer.Ordinal).ToArray());
        var begins = items.Rows.Select(r => (DateTime)r[items.Ordinal("begin_time")]!).ToList();
        Assert.Equal(begins.Order().ToList(), begins);
        Assert.InRange(begins[0], new DateTime(2020, 1, 1), new DateTime(2020, 1, 3));
        Assert.InRange(begins[^1], new DateTime(2024, 12, 1), new DateTime(2025, 1, 1));
    }

    [Fact]
    public void Bench_PacksEveryRecordIntoItsWindow()
    {
        var t = Generate(SimulatorKind.Bench, 1, 1_000).Catalog.Find("ivoa.obscore")!;
        var start = Julian.ToMjd(new DateTime(2022, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        Assert.Equal(1_000, t.Rows.Count);
        Assert.All(t.Rows, r => Assert.InRange((double)r[t.Ordinal("t_min")]!, start, start + 1.0 / 24));
    }
}
