using static Broker.Adql.Tests.Evaluation.SoarCatalog;

namespace Broker.Adql.Tests.Evaluation;

public class EvaluatorFilterTests
{
    [Fact]
    public void Execute_SelectStar_ReturnsAllColumnsAndRows()
    {
        var result = Evaluator().Execute("SELECT * FROM soar.v_sc_data_item");

        Assert.Equal(DataItemColumns.Select(c => c.Name), result.Columns.Select(c => c.Name));
        Assert.Equal(5, result.ReadAll().Count);
    }

    [Fact]
    public void Execute_UnqualifiedTableAndMixedCase_ResolvesCaseInsensitively()
    {
        Assert.Equal(5, Rows("SELECT INSTRUMENT FROM V_SC_DATA_ITEM").Count);
    }

    [Fact]
    public void Execute_StringEquality_FiltersOrdinally()
    {
        Assert.Equal(new object?[] { 1L, 2L, 4L }, Column("SELECT data_item_oid FROM v_sc_data_item WHERE instrument = 'EUI'"));
        Assert.Empty(Rows("SELECT data_item_oid FROM v_sc_data_item WHERE instrument = 'eui'"));
    }

    [Theory]
    [InlineData("begin_time >= '2022-03-21 00:00:00'", new long[] { 3, 4, 5 })]
    [InlineData("begin_time >= '2022-03-21T00:00:00.000'", new long[] { 3, 4, 5 })]
    [InlineData("begin_time > '2022-03-21T00:00:00Z'", new long[] { 3, 5 })]
    [InlineData("begin_time = '2022-03-03T04:35:56.272'", new long[] { 2 })]
    [InlineData("begin_time < '2022-02-12'", new long[] { 1 })]
    [InlineData("'2022-03-21 06:00:00' BETWEEN begin_time AND end_time", new long[] { })]
    [InlineData("begin_time BETWEEN '2022-03-01' AND '2022-03-31 23:59:59'", new long[] { 2, 4, 5 })]
    public void Execute_TimestampVsIsoString_ComparesAsInstants(string condition, long[] expected)
    {
        Assert.Equal(expected.Cast<object?>().ToArray(), Column($"SELECT data_item_oid FROM v_sc_data_item WHERE {condition}"));
    }

    [Theory]
    [InlineData("wavemin = '171.0'", 4)]
    [InlineData("wavemin = '171'", 4)]
    [InlineData("wavelength = '304.0' AND dimension_index = '1'", 1)]
    [InlineData("'185' = wavemax", 4)]
    [InlineData("wavemin = 'abc'", 0)]
    public void Execute_NumericColumnVsNumericString_ComparesNumerically(string condition, int expectedCount)
    {
        Assert.Equal(expectedCount, Rows($"SELECT * FROM v_eui_sc_fits WHERE {condition}").Count);
    }

    [Fact]
    public void Execute_LongColumnVsDoubleLiteral_ComparesNumerically()
    {
        Assert.Equal(new object?[] { 1L, 3L }, Column("SELECT data_item_oid FROM v_sc_data_item WHERE filesize > 1.5e6"));
    }

    [Fact]
    public void Execute_ComparisonWithNull_IsNeverTrue()
    {
        Assert.Empty(Rows("SELECT * FROM v_sc_data_item WHERE soop_name = NULL"));
        Assert.Equal(new object?[] { 3L, 4L }, Column("SELECT data_item_oid FROM v_sc_data_item WHERE NOT soop_name = 'none'"));
    }

    [Fact]
    public void Execute_IsNullAndIsNotNull_SelectNullRows()
    {
        Assert.Equal(new object?[] { 2L, 5L }, Column("SELECT data_item_oid FROM v_sc_data_item WHERE soop_name IS NULL"));
        Assert.Equal(new object?[] { 1L, 3L, 4L }, Column("SELECT data_item_oid FROM v_sc_data_item WHERE soop_name IS NOT NULL"));
    }

    [Fact]
    public void Execute_OrWithUnknown_TrueWhenOtherSideTrue()
    {
        Assert.Equal(
            new object?[] { 2L, 5L },
            Column("SELECT data_item_oid FROM v_sc_data_item WHERE filesize < 0 OR soop_name IS NULL"));
        Assert.Equal(
            new object?[] { 3L },
            Column("SELECT data_item_oid FROM v_sc_data_item WHERE soop_name = 'R_SMALL' AND filesize > 1000000"));
    }

    [Fact]
    public void Execute_NotInWithNullInList_ReturnsNothing()
    {
        Assert.Empty(Rows("SELECT * FROM v_sc_data_item WHERE instrument NOT IN ('MAG', NULL)"));
        Assert.Equal(new object?[] { 3L, 5L }, Column("SELECT data_item_oid FROM v_sc_data_item WHERE instrument IN ('MAG', 'RPW', NULL)"));
    }

    [Fact]
    public void Execute_InWithNumbers_MatchesAcrossTypes()
    {
        Assert.Equal(new object?[] { 1L, 3L }, Column("SELECT data_item_oid FROM v_sc_data_item WHERE data_item_oid IN (1.0, 3)"));
    }

    [Theory]
    [InlineData("descriptor LIKE 'eui-%'", new long[] { 1, 2, 4 })]
    [InlineData("descriptor LIKE '%174%'", new long[] { 1, 4 })]
    [InlineData("level LIKE 'L_'", new long[] { 1, 2, 3, 4, 5 })]
    [InlineData("descriptor LIKE 'EUI-%'", new long[] { })]
    [InlineData("descriptor ILIKE 'EUI-%'", new long[] { 1, 2, 4 })]
    [InlineData("descriptor NOT LIKE 'eui%'", new long[] { 3, 5 })]
    [InlineData("data_item_id LIKE 'solo.L1%'", new long[] { })]
    public void Execute_Like_PercentAndUnderscoreWildcards(string condition, long[] expected)
    {
        Assert.Equal(expected.Cast<object?>().ToArray(), Column($"SELECT data_item_oid FROM v_sc_data_item WHERE {condition}"));
    }

    [Fact]
    public void Execute_BetweenNumbers_Inclusive()
    {
        Assert.Equal(new object?[] { 2L, 3L, 4L }, Column("SELECT data_item_oid FROM v_sc_data_item WHERE data_item_oid BETWEEN 2 AND 4"));
    }

    [Fact]
    public void Execute_BooleanColumnVsTrueString_Matches()
    {
        var catalog = new InMemoryCatalog().Add(new InMemoryTable(null, "t", [new("id", "long"), new("is_active", "boolean")], [[1L, true], [2L, false], [3L, null]]));

        var rows = new AdqlEvaluator(catalog).Execute("SELECT id FROM t WHERE is_active = 'True'").ReadAll();

        Assert.Equal(1L, Assert.Single(rows)[0]);
    }

    [Fact]
    public void Execute_WhereOnNumericValue_RejectedAsNotACondition()
    {
        Assert.Throws<AdqlSemanticException>(() => Evaluator().Execute("SELECT * FROM v_sc_data_item WHERE filesize"));
    }
}
