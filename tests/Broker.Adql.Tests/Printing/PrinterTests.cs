namespace Broker.Adql.Tests.Printing;

public class PrinterTests
{
    [Fact]
    public void QuoteString_EmbeddedQuote_IsDoubled()
    {
        Assert.Equal("'O''Brien'", AdqlPrinter.QuoteString("O'Brien"));
    }

    [Fact]
    public void Print_InjectionAttemptInValue_StaysOneLiteral()
    {
        const string hostile = "EUI' OR '1'='1";
        var statement = Adql.Select().From("v_sc_data_item").Where(Adql.Eq(Adql.Column("instrument"), Adql.String(hostile))).Build();

        var text = AdqlPrinter.Print(statement);
        var reparsed = AdqlParser.Parse(text);

        Assert.Equal("SELECT * FROM v_sc_data_item WHERE instrument = 'EUI'' OR ''1''=''1'", text);
        var cmp = Assert.IsType<ComparisonExpr>(reparsed.Where);
        Assert.Equal(new StringLiteral(hostile), cmp.Right);
    }

    [Fact]
    public void Print_DropTableValue_RoundTripsAsSingleLiteral()
    {
        const string hostile = "x\"; DROP TABLE t; --";
        var where = Adql.Eq(Adql.Column("filename"), Adql.String(hostile));
        var statement = Adql.Select().From("t").Where(where).Build();

        var reparsed = AdqlParser.Parse(AdqlPrinter.Print(statement));

        Assert.Equal(statement, reparsed);
        Assert.Equal(hostile, ((StringLiteral)((ComparisonExpr)reparsed.Where!).Right).Value);
    }

    [Fact]
    public void Print_CommentMarkerInValue_DoesNotCommentOutRest()
    {
        var where = Adql.AndAll(Adql.Eq(Adql.Column("a"), Adql.String("--")), Adql.Eq(Adql.Column("b"), Adql.String("y")));
        var statement = Adql.Select().From("t").Where(where).Build();

        Assert.Equal(statement, AdqlParser.Parse(AdqlPrinter.Print(statement)));
    }

    [Theory]
    [InlineData("select", "\"select\"")]
    [InlineData("FROM", "\"FROM\"")]
    [InlineData("my col", "\"my col\"")]
    [InlineData("my\"col", "\"my\"\"col\"")]
    [InlineData("_x", "\"_x\"")]
    [InlineData("1abc", "\"1abc\"")]
    [InlineData("begin_time", "begin_time")]
    [InlineData("level", "level")]
    public void FormatIdentifier_NonDelimited_DelimitsOnlyWhenNeeded(string name, string expected)
    {
        Assert.Equal(expected, AdqlPrinter.FormatIdentifier(new Identifier(name)));
    }

    [Fact]
    public void FormatIdentifier_DelimitedFlag_AlwaysQuoted()
    {
        Assert.Equal("\"size\"", AdqlPrinter.FormatIdentifier(new Identifier("size", Delimited: true)));
    }

    [Fact]
    public void Print_Canonicalises_KeywordsOperatorsAndAliases()
    {
        var s = AdqlParser.Parse("select top 5 a x, b from s.t h where a != 1 and not b like 'q%' order by 1 desc, b");

        Assert.Equal(
            "SELECT TOP 5 a AS x, b FROM s.t AS h WHERE a <> 1 AND NOT b LIKE 'q%' ORDER BY 1 DESC, b ASC",
            AdqlPrinter.Print(s));
    }

    [Fact]
    public void Print_BuiltTreeNeedingParentheses_AddsThem()
    {
        var or = Adql.Or(Adql.Eq(Adql.Column("a"), Adql.Number(1)), Adql.Eq(Adql.Column("b"), Adql.Number(2)));
        var and = Adql.And(or, Adql.IsNull(Adql.Column("c")));

        Assert.Equal("(a = 1 OR b = 2) AND c IS NULL", AdqlPrinter.Print(and));
    }

    [Fact]
    public void Print_RightNestedSubtraction_KeepsGrouping()
    {
        var e = new BinaryExpr(
            BinaryOperator.Subtract,
            Adql.Column("a"),
            new BinaryExpr(BinaryOperator.Subtract, Adql.Column("b"), Adql.Column("c")));

        Assert.Equal("a - (b - c)", AdqlPrinter.Print(e));
    }

    [Fact]
    public void Print_FlatExpression_NoRedundantParentheses()
    {
        var s = AdqlParser.Parse("SELECT ((a + (b * c))) FROM t WHERE ((x = 1)) AND (y = 2)");

        Assert.Equal("SELECT a + b * c FROM t WHERE x = 1 AND y = 2", AdqlPrinter.Print(s));
    }

    [Fact]
    public void Print_DoubleNegation_DoesNotProduceCommentToken()
    {
        var e = new NegateExpr(new NegateExpr(new NumberLiteral("1")));

        var text = AdqlPrinter.Print(e);

        Assert.DoesNotContain("--", text);
        Assert.Equal(e, AdqlParser.ParseExpression(text));
    }

    [Fact]
    public void Print_NumberLiteral_KeepsExactText()
    {
        Assert.Equal("SELECT 1.50, .5, 1e-3, 0x1F FROM t", AdqlPrinter.Print(AdqlParser.Parse("SELECT 1.50, .5, 1e-3, 0x1F FROM t")));
    }

    [Fact]
    public void NumberLiteral_NegativeOrMalformedText_Rejected()
    {
        Assert.Throws<ArgumentException>(() => new NumberLiteral("-1"));
        Assert.Throws<ArgumentException>(() => new NumberLiteral("1; DROP"));
    }

    [Fact]
    public void FunctionCall_InvalidName_Rejected()
    {
        Assert.Throws<ArgumentException>(() => new FunctionCall("x(); --", ValueList<Expr>.Empty));
    }

    [Fact]
    public void FunctionCall_DistinctOnScalarFunction_Rejected()
    {
        Assert.Throws<ArgumentException>(() => new FunctionCall("UPPER", ValueList.Of<Expr>(Adql.Column("a")), Distinct: true));
    }

    [Fact]
    public void CastExpr_UnknownType_Rejected()
    {
        Assert.Throws<ArgumentException>(() => new CastExpr(Adql.Column("a"), "INT) --"));
    }

    [Fact]
    public void Print_JoinWithNestedRightJoin_Parenthesised()
    {
        var inner = new JoinRef(new TableRef(TableName.Of("b")), new TableRef(TableName.Of("c")), JoinType.Inner, Using: ValueList.Of(new Identifier("y")));
        var outer = new JoinRef(new TableRef(TableName.Of("a")), inner, JoinType.Left, Using: ValueList.Of(new Identifier("x")));
        var s = new SelectStatement { Items = ValueList.Of<SelectItem>(StarItem.Instance), From = ValueList.Of<FromItem>(outer) };

        var text = AdqlPrinter.Print(s);

        Assert.Equal("SELECT * FROM a LEFT OUTER JOIN (b JOIN c USING (y)) USING (x)", text);
        Assert.Equal(s, AdqlParser.Parse(text));
    }

    [Fact]
    public void SelectStatement_ToString_IsPrintedAdql()
    {
        Assert.Equal("SELECT a FROM t", AdqlParser.Parse("select a from t").ToString());
    }
}
