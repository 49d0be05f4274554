namespace Broker.Adql.Tests.Parsing;

public class ParserTests
{
    private static SelectStatement Parse(string adql) => AdqlParser.Parse(adql);

    private static Expr Where(string condition) => Parse("SELECT * FROM t WHERE " + condition).Where!;

    private static ColumnRef Col(string name) => new(null, new Identifier(name));

    private static NumberLiteral Num(string text) => new(text);

    [Fact]
    public void Parse_MinimalQuery_ReturnsStarFromTable()
    {
        var s = Parse("SELECT * FROM t");

        Assert.Equal(ValueList.Of<SelectItem>(StarItem.Instance), s.Items);
        Assert.Equal(ValueList.Of<FromItem>(new TableRef(new TableName(null, new Identifier("t")))), s.From);
        Assert.Null(s.Where);
        Assert.False(s.Distinct);
        Assert.Null(s.Top);
    }

    [Fact]
    public void Parse_DistinctTop_SetsBoth()
    {
        var s = Parse("SELECT DISTINCT TOP 10 a FROM t");

        Assert.True(s.Distinct);
        Assert.Equal(10, s.Top);
    }

    [Theory]
    [InlineData("SELECT a FROM soar.v_sc_data_item AS h1")]
    [InlineData("SELECT a FROM soar.v_sc_data_item h1")]
    public void Parse_SchemaTableAlias_WithOrWithoutAs(string adql)
    {
        var table = Assert.IsType<TableRef>(Parse(adql).From[0]);

        Assert.Equal(new Identifier("soar"), table.Table.Schema);
        Assert.Equal(new Identifier("v_sc_data_item"), table.Table.Name);
        Assert.Equal(new Identifier("h1"), table.Alias);
    }

    [Fact]
    public void Parse_QualifiedStar_ReturnsQualifiedStarItem()
    {
        var s = Parse("SELECT h1.*, s.t.* FROM t AS h1");

        Assert.Equal(new QualifiedStarItem(new TableName(null, new Identifier("h1"))), s.Items[0]);
        Assert.Equal(new QualifiedStarItem(new TableName(new Identifier("s"), new Identifier("t"))), s.Items[1]);
    }

    [Fact]
    public void Parse_SelectItemAliases_WithAndWithoutAs()
    {
        var s = Parse("SELECT a AS x, b y, c FROM t");

        Assert.Equal(new ExpressionItem(Col("a"), new Identifier("x")), s.Items[0]);
        Assert.Equal(new ExpressionItem(Col("b"), new Identifier("y")), s.Items[1]);
        Assert.Equal(new ExpressionItem(Col("c")), s.Items[2]);
    }

    [Fact]
    public void Parse_ThreePartColumn_HasSchemaAndTableQualifier()
    {
        var item = Assert.IsType<ExpressionItem>(Parse("SELECT s.t.c FROM s.t").Items[0]);

        Assert.Equal(new ColumnRef(new TableName(new Identifier("s"), new Identifier("t")), new Identifier("c")), item.Expression);
    }

    [Fact]
    public void Parse_JoinUsing_BuildsJoinRef()
    {
        var s = Parse("SELECT * FROM v_sc_data_item AS h1 JOIN v_eui_sc_fits AS h2 USING (data_item_oid)");

        var join = Assert.IsType<JoinRef>(Assert.Single(s.From));
        Assert.Equal(JoinType.Inner, join.Type);
        Assert.Equal(ValueList.Of(new Identifier("data_item_oid")), join.Using);
        Assert.Null(join.On);
        Assert.Equal(new Identifier("h2"), Assert.IsType<TableRef>(join.Right).Alias);
    }

    [Theory]
    [InlineData("LEFT JOIN", JoinType.Left)]
    [InlineData("LEFT OUTER JOIN", JoinType.Left)]
    [InlineData("INNER JOIN", JoinType.Inner)]
    [InlineData("RIGHT OUTER JOIN", JoinType.Right)]
    [InlineData("FULL JOIN", JoinType.Full)]
    public void Parse_JoinKinds_WithOn(string keywords, JoinType expected)
    {
        var join = Assert.IsType<JoinRef>(Parse($"SELECT * FROM a {keywords} b ON a.id = b.id").From[0]);

        Assert.Equal(expected, join.Type);
        Assert.IsType<ComparisonExpr>(join.On);
    }

    [Fact]
    public void Parse_ChainedJoins_AreLeftDeep()
    {
        var join = Assert.IsType<JoinRef>(Parse("SELECT * FROM a JOIN b USING (x) JOIN c USING (y)").From[0]);

        Assert.IsType<JoinRef>(join.Left);
        Assert.IsType<TableRef>(join.Right);
    }

    [Fact]
    public void Parse_NaturalAndCrossJoin_NoCondition()
    {
        var natural = Assert.IsType<JoinRef>(Parse("SELECT * FROM a NATURAL JOIN b").From[0]);
        var cross = Assert.IsType<JoinRef>(Parse("SELECT * FROM a CROSS JOIN b").From[0]);

        Assert.True(natural.Natural);
        Assert.Equal(JoinType.Cross, cross.Type);
        Assert.Null(cross.On);
    }

    [Fact]
    public void Parse_CommaSeparatedTables_MultipleFromItems()
    {
        Assert.Equal(3, Parse("SELECT * FROM a, b x, s.c").From.Count);
    }

    [Theory]
    [InlineData("=", ComparisonOperator.Equal)]
    [InlineData("<>", ComparisonOperator.NotEqual)]
    [InlineData("!=", ComparisonOperator.NotEqual)]
    [InlineData("<", ComparisonOperator.Less)]
    [InlineData("<=", ComparisonOperator.LessOrEqual)]
    [InlineData(">", ComparisonOperator.Greater)]
    [InlineData(">=", ComparisonOperator.GreaterOrEqual)]
    public void Parse_ComparisonOperators_MapToEnum(string op, ComparisonOperator expected)
    {
        Assert.Equal(new ComparisonExpr(expected, Col("a"), Num("1")), Where($"a {op} 1"));
    }

    [Fact]
    public void Parse_AndBindsTighterThanOr()
    {
        var expected = new OrExpr(
            new ComparisonExpr(ComparisonOperator.Equal, Col("a"), Num("1")),
            new AndExpr(
                new ComparisonExpr(ComparisonOperator.Equal, Col("b"), Num("2")),
                new ComparisonExpr(ComparisonOperator.Equal, Col("c"), Num("3"))));

        Assert.Equal(expected, Where("a = 1 OR b = 2 AND c = 3"));
    }

    [Fact]
    public void Parse_ParenthesesOverridePrecedence_NoParenNode()
    {
        var e = Assert.IsType<AndExpr>(Where("(a = 1 OR b = 2) AND c = 3"));

        Assert.IsType<OrExpr>(e.Left);
    }

    [Fact]
    public void Parse_NotPredicates_SetNegatedFlags()
    {
        var e = Where("a NOT IN (1, 2) AND b NOT BETWEEN 1 AND 5 AND c NOT LIKE 'x%' AND d IS NOT NULL AND e ILIKE 'Y'");
        var parts = new List<Expr>();
        while (e is AndExpr and)
        {
            parts.Insert(0, and.Right);
            e = and.Left;
        }

        parts.Insert(0, e);
        Assert.Equal(new InExpr(Col("a"), ValueList.Of<Expr>(Num("1"), Num("2")), Negated: true), parts[0]);
        Assert.Equal(new BetweenExpr(Col("b"), Num("1"), Num("5"), Negated: true), parts[1]);
        Assert.Equal(new LikeExpr(Col("c"), new StringLiteral("x%"), Negated: true), parts[2]);
        Assert.Equal(new IsNullExpr(Col("d"), Negated: true), parts[3]);
        Assert.Equal(new LikeExpr(Col("e"), new StringLiteral("Y"), CaseInsensitive: true), parts[4]);
    }

    [Fact]
    public void Parse_NotPrefix_WrapsPredicate()
    {
        Assert.Equal(new NotExpr(new IsNullExpr(Col("a"))), Where("NOT a IS NULL"));
    }

    [Fact]
    public void Parse_ArithmeticPrecedence_MultiplicationFirst()
    {
        var item = Assert.IsType<ExpressionItem>(Parse("SELECT 1 + 2 * 3 - 4 FROM t").Items[0]);

        var expected = new BinaryExpr(
            BinaryOperator.Subtract,
            new BinaryExpr(BinaryOperator.Add, Num("1"), new BinaryExpr(BinaryOperator.Multiply, Num("2"), Num("3"))),
            Num("4"));
        Assert.Equal(expected, item.Expression);
    }

    [Fact]
    public void Parse_UnaryMinusAndPlus_NegateAndDrop()
    {
        Assert.Equal(
            new ComparisonExpr(ComparisonOperator.Greater, Col("a"), new NegateExpr(Num("1.5"))),
            Where("a > -1.5"));
        Assert.Equal(new ComparisonExpr(ComparisonOperator.Greater, Col("a"), Num("2")), Where("a > +2"));
    }

    [Fact]
    public void Parse_Concat_LowerPrecedenceThanAdd()
    {
        var item = Assert.IsType<ExpressionItem>(Parse("SELECT a || b + 1 FROM t").Items[0]);

        var concat = Assert.IsType<BinaryExpr>(item.Expression);
        Assert.Equal(BinaryOperator.Concat, concat.Operator);
        Assert.IsType<BinaryExpr>(concat.Right);
    }

    [Fact]
    public void Parse_Aggregates_CountStarAndDistinct()
    {
        var s = Parse("SELECT COUNT(*), count(DISTINCT a), max(b) FROM t");

        Assert.Equal(CountStarExpr.Instance, ((ExpressionItem)s.Items[0]).Expression);
        Assert.Equal(new FunctionCall("COUNT", ValueList.Of<Expr>(Col("a")), Distinct: true), ((ExpressionItem)s.Items[1]).Expression);
        Assert.Equal(new FunctionCall("MAX", ValueList.Of<Expr>(Col("b"))), ((ExpressionItem)s.Items[2]).Expression);
    }

    [Fact]
    public void Parse_FunctionName_IsUpperCased()
    {
        var call = Assert.IsType<FunctionCall>(((ExpressionItem)Parse("SELECT lower(a), pi() FROM t").Items[0]).Expression);

        Assert.Equal("LOWER", call.Name);
    }

    [Fact]
    public void Parse_GeometryPredicate_ParsedAsFunctionCalls()
    {
        var e = Assert.IsType<ComparisonExpr>(
            Where("1 = CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 10.5, -3, 0.1))"));

        var contains = Assert.IsType<FunctionCall>(e.Right);
        Assert.Equal("CONTAINS", contains.Name);
        Assert.Equal("CIRCLE", Assert.IsType<FunctionCall>(contains.Arguments[1]).Name);
    }

    [Fact]
    public void Parse_GroupByHavingOrderByOffset_AllClauses()
    {
        var s = Parse("SELECT instrument, COUNT(*) AS n FROM t GROUP BY instrument HAVING COUNT(*) > 1 ORDER BY n DESC, 1 ASC OFFSET 5");

        Assert.Equal(ValueList.Of<Expr>(Col("instrument")), s.GroupBy);
        Assert.IsType<ComparisonExpr>(s.Having);
        Assert.Equal(new OrderItem(Col("n"), Descending: true), s.OrderBy[0]);
        Assert.Equal(new OrderItem(Num("1")), s.OrderBy[1]);
        Assert.Equal(5, s.Offset);
    }

    [Fact]
    public void Parse_Cast_NormalisesTypeName()
    {
        var item = (ExpressionItem)Parse("SELECT CAST(a AS double precision), CAST(b AS VARCHAR(10)) FROM t").Items[0];

        Assert.Equal(new CastExpr(Col("a"), "DOUBLE PRECISION"), item.Expression);
    }

    [Fact]
    public void Parse_DelimitedIdentifier_KeepsCaseAndFlag()
    {
        var item = (ExpressionItem)Parse("SELECT \"Size\" FROM t").Items[0];

        Assert.Equal(new ColumnRef(null, new Identifier("Size", Delimited: true)), item.Expression);
    }

    [Fact]
    public void Parse_DelimitedReservedWord_AllowedAsColumn()
    {
        var item = (ExpressionItem)Parse("SELECT \"select\" FROM \"from\"").Items[0];

        Assert.Equal("select", ((ColumnRef)item.Expression).Name);
    }

    [Fact]
    public void Parse_KeywordsInLowerCase_Accepted()
    {
        var s = Parse("select top 3 a from t where a is not null order by a desc");

        Assert.Equal(3, s.Top);
        Assert.True(s.OrderBy[0].Descending);
    }

    [Fact]
    public void Parse_BooleanAndNullLiterals()
    {
        Assert.Equal(
            new OrExpr(
                new ComparisonExpr(ComparisonOperator.Equal, Col("a"), new BooleanLiteral(true)),
                new ComparisonExpr(ComparisonOperator.Equal, Col("b"), NullLiteral.Instance)),
            Where("a = TRUE OR b = NULL"));
    }

    [Fact]
    public void Parse_SqlReservedButNotGrammarWords_AcceptedBare()
    {
        // sunpy-soar sends level and descriptor unquoted.
        var s = Parse("SELECT * FROM v_sc_data_item WHERE level='L2' AND descriptor='mag-rtn-normal'");

        var and = Assert.IsType<AndExpr>(s.Where);
        Assert.Equal("level", ((ColumnRef)((ComparisonExpr)and.Left).Left).Name);
    }

    [Fact]
    public void Parse_TrailingSemicolonAndComments_Accepted()
    {
        var s = Parse("-- header\nSELECT a -- first\nFROM t;");

        Assert.Single(s.Items);
    }

    [Fact]
    public void ParseExpression_Standalone_ReturnsCondition()
    {
        Assert.Equal(
            new ComparisonExpr(ComparisonOperator.Equal, new ColumnRef(new TableName(null, new Identifier("h1")), new Identifier("level")), new StringLiteral("L2")),
            AdqlParser.ParseExpression("h1.level = 'L2'"));
    }

    [Theory]
    [InlineData("SELECT COUNT(*) AS nr FROM TAP_SCHEMA.schemas")]
    [InlineData("SELECT TOP 1 * FROM TAP_SCHEMA.tables")]
    [InlineData("SELECT principal, indexed, std, \"size\" FROM TAP_SCHEMA.columns")]
    [InlineData("SELECT TOP 1 c FROM TAP_SCHEMA.t WHERE c IS NULL")]
    [InlineData("SELECT TOP 8 c9, c8 AS taplint_c_2, d.c7 FROM schema.table AS d")]
    [InlineData("SELECT * FROM TAP_UPLOAD.t1")]
    [InlineData("SELECT TOP 2000 *, DISTANCE(POINT('ICRS',ra,dec), POINT('ICRS',1,2)) AS dist FROM t WHERE 1 = CONTAINS(POINT('ICRS',ra,dec), CIRCLE('ICRS',1,2,0.5)) ORDER BY dist ASC")]
    [InlineData("SELECT * FROM v_sc_data_item WHERE instrument='MAG' AND begin_time>='2023-04-03 15:00:00' AND begin_time<='2023-04-03 16:00:00' AND level='L2' AND descriptor='mag-rtn-normal'")]
    [InlineData("SELECT h1.instrument, h1.descriptor, h1.level, h1.begin_time, h1.end_time, h1.data_item_id, h1.filesize, h1.filename, h1.soop_name, h2.detector, h2.wavelength, h2.dimension_index FROM v_sc_data_item AS h1 JOIN v_eui_sc_fits AS h2 USING (data_item_oid) WHERE h1.instrument='EUI' AND h1.begin_time>='2022-02-11 00:00:00' AND h1.begin_time<='2022-02-12 00:00:00' AND h2.dimension_index='1' AND h1.level='L1' AND h2.Wavemin='171.0' AND h2.Wavemax='185.0'")]
    public void Parse_RealClientQueries_Succeed(string adql)
    {
        Assert.NotEmpty(Parse(adql).Items);
    }
}
