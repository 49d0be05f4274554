using static Broker.Adql.Tests.Evaluation.SoarCatalog;

namespace Broker.Adql.Tests.Evaluation;

public class EvaluatorErrorTests
{
    private static AdqlSemanticException Fail(string adql) =>
        Assert.Throws<AdqlSemanticException>(() => Evaluator().Execute(adql));

    [Fact]
    public void Execute_UnknownColumn_ClearMessage()
    {
        Assert.Equal("Unknown column 'x'", Fail("SELECT x FROM v_sc_data_item").Message);
    }

    [Fact]
    public void Execute_UnknownColumnInWhere_RejectedBeforeEnumeration()
    {
        Assert.Contains("Unknown column 'nope'", Fail("SELECT * FROM v_sc_data_item WHERE nope = 1").Message);
    }

    [Fact]
    public void Execute_UnknownTable_ClearMessage()
    {
        Assert.Equal("Unknown table 'soar.nothing'", Fail("SELECT * FROM soar.nothing").Message);
    }

    [Fact]
    public void Execute_WrongSchema_UnknownTable()
    {
        Fail("SELECT * FROM other.v_sc_data_item");
    }

    [Fact]
    public void Execute_UnknownQualifier_ClearMessage()
    {
        Assert.Contains("Unknown table or alias 'h3'", Fail("SELECT h3.level FROM v_sc_data_item AS h1").Message);
    }

    [Fact]
    public void Execute_TableNameHiddenByAlias_Rejected()
    {
        Fail("SELECT v_sc_data_item.level FROM v_sc_data_item AS h1");
    }

    [Fact]
    public void Execute_AmbiguousColumn_ClearMessage()
    {
        Assert.Contains("Ambiguous column 'detector'", Fail("SELECT detector FROM v_eui_sc_fits a, v_eui_sc_fits b").Message);
    }

    [Fact]
    public void Execute_UnknownFunction_Rejected()
    {
        Assert.Contains("Unknown function FOO", Fail("SELECT FOO(level) FROM v_sc_data_item").Message);
    }

    [Fact]
    public void Execute_WrongArity_Rejected()
    {
        Assert.Contains("expects 1", Fail("SELECT SQRT(1, 2) FROM v_sc_data_item").Message);
    }

    [Fact]
    public void Execute_ArithmeticOnString_Rejected()
    {
        Fail("SELECT level + 1 FROM v_sc_data_item");
    }

    [Fact]
    public void Execute_StarWithGroupBy_Rejected()
    {
        Fail("SELECT * FROM v_sc_data_item GROUP BY level");
    }

    [Fact]
    public void Execute_BadSyntax_ThrowsSyntaxException()
    {
        Assert.Throws<AdqlSyntaxException>(() => Evaluator().Execute("DUFF QUERY"));
    }

    [Fact]
    public void Execute_NegativeMaxRec_Rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Evaluator().Execute("SELECT * FROM v_sc_data_item", maxRec: -1));
    }

    [Fact]
    public void FindTable_AmbiguousUnqualifiedName_Rejected()
    {
        var catalog = new InMemoryCatalog()
            .Add(new InMemoryTable("a", "t", [new("x", "long")], []))
            .Add(new InMemoryTable("b", "t", [new("x", "long")], []));

        Assert.Throws<AdqlSemanticException>(() => new AdqlEvaluator(catalog).Execute("SELECT * FROM t"));
        Assert.Empty(new AdqlEvaluator(catalog).Execute("SELECT * FROM b.t").ReadAll());
    }
}
