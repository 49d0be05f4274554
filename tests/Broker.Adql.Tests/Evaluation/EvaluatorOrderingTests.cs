using static Broker.Adql.Tests.Evaluation.SoarCatalog;

namespace Broker.Adql.Tests.Evaluation;

public class EvaluatorOrderingTests
{
    [Fact]
    public void Execute_OrderByAliasDescending_SortsByAlias()
    {
        Assert.Equal(new object?[] { 5L, 4L, 3L, 2L, 1L }, Column("SELECT data_item_oid AS oid FROM v_sc_data_item ORDER BY oid DESC"));
    }

    [Fact]
    public void Execute_OrderByIndex_UsesSelectPosition()
    {
        Assert.Equal(new object?[] { 4L, 2L, 1L, 3L, 5L }, Column("SELECT data_item_oid, filesize FROM v_sc_data_item ORDER BY 2"));
    }

    [Fact]
    public void Execute_OrderByWithNulls_NullsLastBothDirections()
    {
        Assert.Equal(new object?[] { "R_SMALL", "R_SMALL", "none", null, null }, Column("SELECT soop_name FROM v_sc_data_item ORDER BY soop_name"));
        Assert.Equal(new object?[] { "none", "R_SMALL", "R_SMALL", null, null }, Column("SELECT soop_name FROM v_sc_data_item ORDER BY soop_name DESC"));
    }

    [Fact]
    public void Execute_OrderByColumnNotSelected_SortsButDoesNotOutput()
    {
        var result = Evaluator().Execute("SELECT data_item_id FROM v_sc_data_item ORDER BY begin_time DESC");

        var rows = result.ReadAll();
        Assert.Single(result.Columns);
        Assert.All(rows, r => Assert.Single(r));
        Assert.Equal("solo_L2_mag-rtn-normal_20230403", rows[0][0]);
    }

    [Fact]
    public void Execute_OrderByMultipleKeys_StableAndTieBroken()
    {
        Assert.Equal(
            new object?[] { 2L, 1L, 3L, 5L, 4L },
            Column("SELECT data_item_oid FROM v_sc_data_item ORDER BY level, begin_time DESC"));
    }

    [Fact]
    public void Execute_OrderByExpression_Evaluated()
    {
        Assert.Equal(new object?[] { 5L, 4L }, Column("SELECT TOP 2 data_item_oid FROM v_sc_data_item ORDER BY -data_item_oid"));
    }

    [Fact]
    public void Execute_OrderByPositionOutOfRange_Rejected()
    {
        Assert.Throws<AdqlSemanticException>(() => Evaluator().Execute("SELECT level FROM v_sc_data_item ORDER BY 2"));
    }

    [Fact]
    public void Execute_TopAndOffset_Paginate()
    {
        Assert.Equal(new object?[] { 3L, 4L }, Column("SELECT TOP 2 data_item_oid FROM v_sc_data_item ORDER BY 1 OFFSET 2"));
    }

    [Fact]
    public void Execute_MaxRecBelowRowCount_SetsOverflow()
    {
        var result = Evaluator().Execute("SELECT data_item_oid FROM v_sc_data_item", maxRec: 3);

        Assert.Equal(3, result.ReadAll().Count);
        Assert.True(result.Overflow);
    }

    [Fact]
    public void Execute_MaxRecEqualToRowCount_NoOverflow()
    {
        var result = Evaluator().Execute("SELECT data_item_oid FROM v_sc_data_item", maxRec: 5);

        Assert.Equal(5, result.ReadAll().Count);
        Assert.False(result.Overflow);
    }

    [Fact]
    public void Execute_TopLimitsBeforeMaxRec_NoOverflow()
    {
        var result = Evaluator().Execute("SELECT TOP 2 data_item_oid FROM v_sc_data_item", maxRec: 2);

        Assert.Equal(2, result.ReadAll().Count);
        Assert.False(result.Overflow);
    }

    [Fact]
    public void Execute_MaxRecBelowTop_Overflow()
    {
        var result = Evaluator().Execute("SELECT TOP 4 data_item_oid FROM v_sc_data_item", maxRec: 2);

        Assert.Equal(2, result.ReadAll().Count);
        Assert.True(result.Overflow);
    }

    [Fact]
    public void Execute_MaxRecZero_NoRowsButOverflow()
    {
        var result = Evaluator().Execute("SELECT * FROM v_sc_data_item", maxRec: 0);

        Assert.Empty(result.ReadAll());
        Assert.True(result.Overflow);
        Assert.Equal(DataItemColumns.Length, result.Columns.Count);
    }

    [Fact]
    public void Overflow_BeforeEnumeration_Throws()
    {
        var result = Evaluator().Execute("SELECT * FROM v_sc_data_item", maxRec: 1);

        Assert.Throws<InvalidOperationException>(() => result.Overflow);
    }

    [Fact]
    public void Execute_TopOnEndlessTable_DoesNotMaterialise()
    {
        var catalog = new InMemoryCatalog().Add(new InMemoryTable(null, "endless", [new("n", "long")], Endless()));

        var result = new AdqlEvaluator(catalog).Execute("SELECT TOP 5 n * 2 FROM endless WHERE MOD(n, 2) = 0", maxRec: 1000);

        Assert.Equal(new object?[] { 0L, 4L, 8L, 12L, 16L }, result.Rows.Select(r => r[0]).ToArray());
        Assert.False(result.Overflow);
    }

    [Fact]
    public void Execute_MaxRecOnEndlessTable_StopsAfterOneExtraRow()
    {
        var reads = 0;
        var catalog = new InMemoryCatalog().Add(new InMemoryTable(null, "endless", [new("n", "long")], Endless().Select(r => { reads++; return r; })));

        var result = new AdqlEvaluator(catalog).Execute("SELECT n FROM endless", maxRec: 3);

        Assert.Equal(3, result.ReadAll().Count);
        Assert.True(result.Overflow);
        Assert.Equal(4, reads);
    }

    private static IEnumerable<object?[]> Endless()
    {
        for (long i = 0; ; i++)
        {
            yield return [i];
        }
    }
}
