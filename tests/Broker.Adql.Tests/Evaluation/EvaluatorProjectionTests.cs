using static Broker.Adql.Tests.Evaluation.SoarCatalog;

namespace Broker.Adql.Tests.Evaluation;

public class EvaluatorProjectionTests
{
    [Fact]
    public void Execute_ColumnMetadata_PassesThroughWithAlias()
    {
        var result = Evaluator().Execute("SELECT begin_time AS t0, filesize, h2.wavelength FROM v_sc_data_item JOIN v_eui_sc_fits AS h2 USING (data_item_oid)");

        Assert.Equal(new AdqlColumn("t0", "char", "*", "timestamp"), result.Columns[0]);
        Assert.Equal(new AdqlColumn("filesize", "long", Unit: "byte"), result.Columns[1]);
        Assert.Equal("Angstrom", result.Columns[2].Unit);
    }

    [Fact]
    public void Execute_ComputedColumns_GetInferredTypes()
    {
        var result = Evaluator().Execute("SELECT filesize / 1000 AS kb, filesize * 1.5, UPPER(level), data_item_oid = 1, COUNT(*) FROM v_sc_data_item GROUP BY filesize, level, data_item_oid");

        Assert.Equal(new[] { "long", "double", "char", "boolean", "long" }, result.Columns.Select(c => c.Datatype));
    }

    [Fact]
    public void Execute_UnnamedExpressions_GetUniqueGeneratedNames()
    {
        var result = Evaluator().Execute("SELECT MAX(filesize), MAX(begin_time), filesize + 1, filesize + 2, COUNT(*) AS max FROM v_sc_data_item GROUP BY filesize");

        Assert.Equal(new[] { "max_2", "max_3", "expr", "expr_2", "max" }, result.Columns.Select(c => c.Name));
    }

    [Fact]
    public void Execute_Arithmetic_IntegerDivisionAndNullPropagation()
    {
        var rows = Rows("SELECT filesize / 1000, filesize / 0, data_item_oid * 2 + 1, -data_item_oid FROM v_sc_data_item ORDER BY data_item_oid");

        Assert.Equal(new object?[] { 2439L, null, 3L, -1L }, rows[0]);
        Assert.Equal(new object?[] { null, null, 11L, -5L }, rows[4]);
    }

    [Theory]
    [InlineData("ABS(-3)", 3L)]
    [InlineData("ABS(-2.5)", 2.5)]
    [InlineData("ROUND(2.567, 2)", 2.57)]
    [InlineData("ROUND(2.5)", 3.0)]
    [InlineData("TRUNCATE(2.567, 1)", 2.5)]
    [InlineData("CEILING(1.2)", 2.0)]
    [InlineData("FLOOR(-1.2)", -2.0)]
    [InlineData("SQRT(16)", 4.0)]
    [InlineData("POWER(2, 10)", 1024.0)]
    [InlineData("LOG10(1000)", 3.0)]
    [InlineData("EXP(0)", 1.0)]
    [InlineData("MOD(7, 3)", 1L)]
    [InlineData("MOD(7.5, 2)", 1.5)]
    [InlineData("DEGREES(PI())", 180.0)]
    [InlineData("UPPER('eui')", "EUI")]
    [InlineData("LOWER(level)", "l1")]
    [InlineData("level || '-' || data_item_oid", "L1-1")]
    [InlineData("COALESCE(NULL, soop_name, 'x')", "none")]
    [InlineData("CAST('42' AS INTEGER)", 42L)]
    [InlineData("CAST(data_item_oid AS VARCHAR)", "1")]
    public void Execute_ScalarFunctions_ComputeExpectedValue(string expression, object expected)
    {
        var value = Column($"SELECT {expression} FROM v_sc_data_item WHERE data_item_oid = 1")[0];

        if (expected is double d)
        {
            Assert.Equal(d, Assert.IsType<double>(value), 9);
        }
        else
        {
            Assert.Equal(expected, value);
        }
    }

    [Fact]
    public void Execute_TimestampCast_ComparesWithColumn()
    {
        Assert.Single(Rows("SELECT * FROM v_sc_data_item WHERE begin_time = CAST('2022-02-11T00:00:00' AS TIMESTAMP)"));
    }

    [Fact]
    public void Execute_Distinct_RemovesDuplicateRows()
    {
        Assert.Equal(new object?[] { "L1", "L2" }, Column("SELECT DISTINCT level FROM v_sc_data_item ORDER BY level"));
    }

    [Fact]
    public void Execute_DistinctWithNulls_TreatsNullsAsEqual()
    {
        Assert.Equal(3, Rows("SELECT DISTINCT soop_name FROM v_sc_data_item").Count);
    }

    [Fact]
    public void Execute_DelimitedColumnName_MatchesExactly()
    {
        Assert.Equal(new object?[] { 1L, null, 3L }, Column("SELECT \"size\" FROM TAP_SCHEMA.columns"));
        Assert.Throws<AdqlSemanticException>(() => Evaluator().Execute("SELECT \"SIZE\" FROM TAP_SCHEMA.columns"));
    }

    [Fact]
    public void Execute_TaplintStyleQueries_Work()
    {
        var evaluator = Evaluator();

        var nullRow = evaluator.Execute("SELECT TOP 1 c FROM TAP_SCHEMA.columns WHERE c IS NULL").ReadAll();
        var count = evaluator.Execute("SELECT COUNT(*) AS nr FROM TAP_SCHEMA.columns");
        var aliased = evaluator.Execute("SELECT TOP 8 column_name, \"size\" AS taplint_c_2, d.c FROM TAP_SCHEMA.columns AS d");

        Assert.Equal(new object?[] { null }, Assert.Single(nullRow));
        Assert.Equal(3L, Assert.Single(count.ReadAll())[0]);
        Assert.Equal("nr", count.Columns[0].Name);
        Assert.Equal(new[] { "column_name", "taplint_c_2", "c" }, aliased.Columns.Select(c => c.Name));
        Assert.Equal(3, aliased.ReadAll().Count);
    }
}
