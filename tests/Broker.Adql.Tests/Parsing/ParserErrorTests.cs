namespace Broker.Adql.Tests.Parsing;

public class ParserErrorTests
{
    private static AdqlSyntaxException Fail(string adql) => Assert.Throws<AdqlSyntaxException>(() => AdqlParser.Parse(adql));

    [Fact]
    public void Parse_DuffQuery_FailsAtFirstToken()
    {
        var ex = Fail("DUFF QUERY");

        Assert.Equal(1, ex.Line);
        Assert.Equal(1, ex.Column);
        Assert.Equal("DUFF", ex.Near);
        Assert.StartsWith("Syntax error at 1:1 near \"DUFF\"", ex.Message);
    }

    [Fact]
    public void Parse_SelectWithNoFromAfterItems_ReportsNearToken()
    {
        var ex = Fail("SELECT a QUERY b");

        Assert.Equal((1, 16), (ex.Line, ex.Column));
        Assert.Equal("Syntax error at 1:16 near \"b\": expected FROM", ex.Message);
    }

    [Fact]
    public void Parse_MissingFrom_ReportsEndOfInput()
    {
        var ex = Fail("SELECT a");

        Assert.Contains("near end of input", ex.Message);
        Assert.Equal((1, 9), (ex.Line, ex.Column));
    }

    [Fact]
    public void Parse_ReservedWordAsColumn_Fails()
    {
        var ex = Fail("SELECT a, select FROM t");

        Assert.Equal((1, 11), (ex.Line, ex.Column));
    }

    [Fact]
    public void Parse_ReservedWordAsTable_FailsWithQuotingHint()
    {
        var ex = Fail("SELECT a FROM order");

        Assert.Equal(15, ex.Column);
        Assert.Contains("reserved word ORDER", ex.Message);
    }

    [Fact]
    public void Parse_ErrorOnLaterLine_ReportsLineAndColumn()
    {
        var ex = Fail("SELECT a\nFROM t\nWHERE a = = 1");

        Assert.Equal((3, 11), (ex.Line, ex.Column));
    }

    [Fact]
    public void Parse_JoinWithoutCondition_Fails()
    {
        Assert.Contains("expected ON or USING", Fail("SELECT * FROM a JOIN b WHERE x = 1").Message);
    }

    [Fact]
    public void Parse_TrailingGarbage_Fails()
    {
        Assert.Contains("after the end of the query", Fail("SELECT a FROM t; SELECT b FROM t").Message);
    }

    [Theory]
    [InlineData("SELECT * FROM t WHERE a IN (SELECT b FROM u)")]
    [InlineData("SELECT * FROM (SELECT b FROM u) AS x")]
    [InlineData("SELECT * FROM t WHERE EXISTS (SELECT b FROM u)")]
    public void Parse_Subqueries_RejectedClearly(string adql)
    {
        Assert.Contains("subqueries are not supported", Fail(adql).Message);
    }

    [Theory]
    [InlineData("SELECT TOP x a FROM t")]
    [InlineData("SELECT TOP 1.5 a FROM t")]
    [InlineData("SELECT a FROM t OFFSET -1")]
    public void Parse_TopOrOffsetNotUnsignedInteger_Fails(string adql)
    {
        Assert.Contains("unsigned integer", Fail(adql).Message);
    }

    [Theory]
    [InlineData("SELECT (a FROM t")]
    [InlineData("SELECT a FROM t WHERE (a = 1")]
    [InlineData("SELECT f(a, FROM t")]
    public void Parse_UnbalancedParentheses_Fails(string adql)
    {
        Fail(adql);
    }

    [Fact]
    public void Parse_ChainedComparison_Fails()
    {
        Fail("SELECT a FROM t WHERE a = 1 = 2");
    }

    [Fact]
    public void Parse_CaseExpression_ReportedAsUnsupported()
    {
        Assert.Contains("CASE", Fail("SELECT CASE WHEN a = 1 THEN 2 END FROM t").Message);
    }
}
