using static Broker.Adql.Tests.Evaluation.SoarCatalog;

namespace Broker.Adql.Tests.Evaluation;

public class EvaluatorJoinTests
{
    private const string SoarJoin =
        "SELECT h1.instrument, h1.descriptor, h1.level, h1.begin_time, h1.data_item_id, h2.detector, h2.wavelength, h2.dimension_index "
        + "FROM v_sc_data_item AS h1 JOIN v_eui_sc_fits AS h2 USING (data_item_oid) "
        + "WHERE h1.instrument='EUI' AND h1.begin_time>='2022-02-11 00:00:00' AND h1.begin_time<='2022-03-31 00:00:00' "
        + "AND h2.dimension_index='1' AND h2.Wavemin='171.0' AND h2.Wavemax='185.0'";

    [Fact]
    public void Execute_SunpySoarJoinQuery_ReturnsMatchingRows()
    {
        var rows = Rows(SoarJoin);

        Assert.Equal(new[] { "solo_L1_eui-fsi174-image_20220211", "solo_L2_eui-hrieuv174-image_20220321" }, rows.Select(r => (string)r[4]!));
        Assert.All(rows, r => Assert.Equal(1L, r[7]));
    }

    [Fact]
    public void Execute_JoinWithoutDimensionFilter_DuplicatesPerFitsRow()
    {
        Assert.Equal(6, Rows("SELECT * FROM v_sc_data_item AS h1 JOIN v_eui_sc_fits AS h2 USING (data_item_oid)").Count);
    }

    [Fact]
    public void Execute_JoinUsingStar_MergesUsingColumn()
    {
        var result = Evaluator().Execute("SELECT * FROM v_sc_data_item AS h1 JOIN v_eui_sc_fits AS h2 USING (data_item_oid)");

        var names = result.Columns.Select(c => c.Name).ToList();
        Assert.Single(names, n => n == "data_item_oid");
        Assert.Equal(DataItemColumns.Length + FitsColumns.Length - 1, names.Count);
    }

    [Fact]
    public void Execute_JoinUsing_UnqualifiedUsingColumnIsNotAmbiguous()
    {
        var values = Column("SELECT data_item_oid FROM v_sc_data_item AS h1 JOIN v_eui_sc_fits AS h2 USING (data_item_oid) WHERE h2.dimension_index = 1");

        Assert.Equal(new object?[] { 1L, 2L, 4L }, values);
    }

    [Fact]
    public void Execute_QualifiedStar_ExpandsOnlyThatTable()
    {
        var result = Evaluator().Execute("SELECT h2.*, h1.level FROM v_sc_data_item AS h1 JOIN v_eui_sc_fits AS h2 USING (data_item_oid)");

        Assert.Equal(FitsColumns.Select(c => c.Name).Append("level"), result.Columns.Select(c => c.Name));
    }

    [Fact]
    public void Execute_LeftJoin_KeepsUnmatchedRowsWithNulls()
    {
        var rows = Rows("SELECT h1.data_item_oid, h2.detector FROM v_sc_data_item AS h1 LEFT OUTER JOIN v_eui_sc_fits AS h2 "
            + "ON h1.data_item_oid = h2.data_item_oid AND h2.dimension_index = 1");

        Assert.Equal(5, rows.Count);
        Assert.Equal(new object?[] { 3L, null }, rows.Single(r => (long)r[0]! == 3L));
        Assert.Equal(new object?[] { 1L, "FSI" }, rows.Single(r => (long)r[0]! == 1L));
    }

    [Fact]
    public void Execute_JoinOnNonEquality_UsesNestedLoop()
    {
        var rows = Rows("SELECT a.data_item_oid, b.data_item_oid FROM v_sc_data_item AS a JOIN v_sc_data_item AS b ON a.data_item_oid < b.data_item_oid");

        Assert.Equal(10, rows.Count);
    }

    [Fact]
    public void Execute_CommaJoinWithWhereEquality_BehavesLikeInnerJoin()
    {
        var rows = Rows("SELECT h1.data_item_oid, h2.wavelength FROM v_sc_data_item h1, v_eui_sc_fits h2 "
            + "WHERE h1.data_item_oid = h2.data_item_oid AND h2.dimension_index = 2 ORDER BY 1");

        Assert.Equal(new object?[] { 1L, 2L, 4L }, rows.Select(r => r[0]).ToArray());
        Assert.Equal(304.0, rows[1][1]);
    }

    [Fact]
    public void Execute_CommaJoinWithoutCondition_IsCrossProduct()
    {
        Assert.Equal(35, Rows("SELECT * FROM v_sc_data_item, v_eui_sc_fits").Count);
    }

    [Fact]
    public void Execute_NaturalJoin_JoinsOnCommonColumns()
    {
        Assert.Equal(6, Rows("SELECT * FROM v_sc_data_item NATURAL JOIN v_eui_sc_fits").Count);
    }

    [Fact]
    public void Execute_SelfJoinWithoutAliases_AmbiguousColumnRejected()
    {
        var ex = Assert.Throws<AdqlSemanticException>(() => Evaluator().Execute("SELECT level FROM v_sc_data_item AS a JOIN v_sc_data_item AS b USING (data_item_oid)"));

        Assert.Contains("Ambiguous column 'level'", ex.Message);
    }

    [Fact]
    public void Execute_JoinUsingMissingColumn_Rejected()
    {
        var ex = Assert.Throws<AdqlSemanticException>(() => Evaluator().Execute("SELECT * FROM v_sc_data_item JOIN v_eui_sc_fits USING (detector)"));

        Assert.Contains("Unknown column 'detector'", ex.Message);
    }

    [Fact]
    public void Execute_RightJoin_ReportedUnsupported()
    {
        Assert.Throws<AdqlSemanticException>(() => Evaluator().Execute("SELECT * FROM v_sc_data_item AS a RIGHT JOIN v_eui_sc_fits AS b USING (data_item_oid)"));
    }
}
