using static Broker.Adql.Tests.Evaluation.SoarCatalog;

namespace Broker.Adql.Tests.Evaluation;

public class EvaluatorAggregateTests
{
    [Fact]
    public void Execute_CountStarWithoutGroupBy_CountsAllRows()
    {
        Assert.Equal(new object?[] { 5L }, Column("SELECT COUNT(*) FROM v_sc_data_item"));
    }

    [Fact]
    public void Execute_CountStarOnEmptyTable_ReturnsSingleZeroRow()
    {
        var rows = Rows("SELECT COUNT(*), MAX(x), SUM(x) FROM s.empty");

        Assert.Equal(new object?[] { 0L, null, null }, Assert.Single(rows));
    }

    [Fact]
    public void Execute_GroupByWithCount_OneRowPerGroup()
    {
        var rows = Rows("SELECT instrument, COUNT(*) AS n FROM v_sc_data_item GROUP BY instrument ORDER BY n DESC, instrument");

        Assert.Equal(new[] { "EUI:3", "MAG:1", "RPW:1" }, rows.Select(r => $"{r[0]}:{r[1]}"));
    }

    [Fact]
    public void Execute_AggregateFunctions_IgnoreNulls()
    {
        var row = Assert.Single(Rows("SELECT COUNT(filesize), SUM(filesize), AVG(filesize), MIN(filesize), MAX(begin_time) FROM v_sc_data_item"));

        Assert.Equal(4L, row[0]);
        Assert.Equal(9739000L, row[1]);
        Assert.Equal(9739000 / 4.0, row[2]);
        Assert.Equal(800000L, row[3]);
        Assert.Equal(new DateTime(2023, 4, 3, 0, 0, 0, DateTimeKind.Utc), row[4]);
    }

    [Fact]
    public void Execute_CountDistinct_CountsDistinctNonNull()
    {
        Assert.Equal(new object?[] { 2L }, Column("SELECT COUNT(DISTINCT soop_name) FROM v_sc_data_item"));
    }

    [Fact]
    public void Execute_Having_FiltersGroups()
    {
        Assert.Equal(new object?[] { "EUI" }, Column("SELECT instrument FROM v_sc_data_item GROUP BY instrument HAVING COUNT(*) > 1"));
    }

    [Fact]
    public void Execute_GroupByQualifiedColumn_SelectUnqualifiedAllowed()
    {
        var rows = Rows("SELECT level, MAX(h.filesize) FROM v_sc_data_item AS h GROUP BY h.level ORDER BY 1");

        Assert.Equal(new object?[] { "L1", 2439000L }, rows[0]);
        Assert.Equal(new object?[] { "L2", 5000000L }, rows[1]);
    }

    [Fact]
    public void Execute_GroupByExpression_MatchesSelectExpression()
    {
        var rows = Rows("SELECT UPPER(level), COUNT(*) FROM v_sc_data_item GROUP BY UPPER(level) ORDER BY 1");

        Assert.Equal(new object?[] { "L1", 2L }, rows[0]);
    }

    [Fact]
    public void Execute_NonGroupedColumn_Rejected()
    {
        var ex = Assert.Throws<AdqlSemanticException>(() => Evaluator().Execute("SELECT instrument, level FROM v_sc_data_item GROUP BY instrument"));

        Assert.Contains("'level'", ex.Message);
    }

    [Fact]
    public void Execute_AggregateInWhere_Rejected()
    {
        Assert.Throws<AdqlSemanticException>(() => Evaluator().Execute("SELECT level FROM v_sc_data_item WHERE COUNT(*) > 1"));
    }

    [Fact]
    public void Execute_SumOfString_Rejected()
    {
        Assert.Throws<AdqlSemanticException>(() => Evaluator().Execute("SELECT SUM(level) FROM v_sc_data_item"));
    }
}
