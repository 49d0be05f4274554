namespace Broker.Adql.Tests.Printing;

public class RoundTripTests
{
    public static TheoryData<string> Queries => new()
    {
        "SELECT * FROM t",
        "SELECT DISTINCT TOP 10 a, b AS \"B b\" FROM s.t AS x",
        "SELECT x.*, y.c FROM s.t AS x, u AS y WHERE x.id = y.id",
        "SELECT a FROM t WHERE a = 'it''s' OR b <> 'x\"y'",
        "SELECT \"select\", \"Mixed\"\"Case\" FROM \"from\".\"where\"",
        "SELECT a FROM t WHERE NOT (a = 1 OR b = 2) AND c IS NOT NULL",
        "SELECT a FROM t WHERE (a = 1 AND b = 2) OR (c = 3 AND (d = 4 OR e = 5))",
        "SELECT a - (b - c), (a + b) * c, -a, - -a, -(a + b), a / -b FROM t",
        "SELECT a || 'x' || (b || c), UPPER(LOWER(a)) FROM t",
        "SELECT a FROM t WHERE a IN (1, 2.5, 'x', NULL) AND b NOT IN ('q') AND c BETWEEN -1 AND 1 + 2",
        "SELECT a FROM t WHERE a LIKE 'x%' AND b NOT ILIKE '_y' AND c NOT BETWEEN 1 AND 2",
        "SELECT COUNT(*) AS nr, COUNT(DISTINCT a), MIN(b), MAX(b), SUM(c), AVG(c) FROM t GROUP BY d, e HAVING COUNT(*) > 1",
        "SELECT ABS(a), CEILING(a), FLOOR(a), ROUND(a, 2), SQRT(a), POWER(a, 2), LOG(a), LOG10(a), EXP(a), MOD(a, 3), SIN(a), PI() FROM t",
        "SELECT CAST(a AS DOUBLE PRECISION), CAST(b AS VARCHAR(12)), CAST(c AS TIMESTAMP) FROM t",
        "SELECT TOP 5 *, DISTANCE(POINT('ICRS', ra, dec), POINT('', 1, 2)) AS dist FROM t WHERE 1 = CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 1, 2, 0.5)) ORDER BY dist ASC",
        "SELECT * FROM a JOIN b USING (x, y) LEFT OUTER JOIN c ON b.z = c.z AND c.w > 1",
        "SELECT * FROM a NATURAL JOIN b CROSS JOIN c",
        "SELECT * FROM a RIGHT OUTER JOIN b ON a.x = b.x FULL OUTER JOIN c ON c.x = a.x",
        "SELECT a FROM t ORDER BY 1 DESC, a ASC OFFSET 10",
        "SELECT a FROM t WHERE a = TRUE OR a = FALSE OR a IS NULL",
        "SELECT 1e-3, .5, 7., 0xFF, 123456789012345678 FROM t",
        "SELECT (a = 1) = (b = 2) FROM t",
        "SELECT a FROM t WHERE (a BETWEEN 1 AND 2) = TRUE",
        "SELECT s.t.c FROM s.t WHERE s.t.c > 0",
        "SELECT h1.instrument, h2.detector FROM v_sc_data_item AS h1 JOIN v_eui_sc_fits AS h2 USING (data_item_oid) WHERE h1.instrument = 'EUI' AND h1.begin_time >= '2022-02-11 00:00:00' AND h2.dimension_index = '1' AND h2.Wavemin = '171.0'",
        "SELECT a FROM t WHERE level = 'L2' AND descriptor = 'x' AND size > 3",
        "SELECT a FROM t WHERE a = 'line1\nline2'",
        "SELECT COALESCE(a, b, 'none') AS v FROM t WHERE NOT NOT a = 1",
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public void ParsePrint_Query_ReparsesToEqualTree(string adql)
    {
        var first = AdqlParser.Parse(adql);

        var printed = AdqlPrinter.Print(first);
        var second = AdqlParser.Parse(printed);

        Assert.Equal(first, second);
        Assert.Equal(printed, AdqlPrinter.Print(second));
    }

    [Fact]
    public void PrintParse_RandomExpressionTrees_AreIdentical()
    {
        var generator = new RandomExprGenerator(seed: 20240611);
        for (var i = 0; i < 2000; i++)
        {
            var expr = generator.Next(depth: 5);

            var text = AdqlPrinter.Print(expr);
            var reparsed = AdqlParser.ParseExpression(text);

            Assert.True(expr.Equals(reparsed), $"Round trip #{i} changed the tree for: {text}");
        }
    }

    [Fact]
    public void PrintParse_RandomStatements_AreIdentical()
    {
        var generator = new RandomExprGenerator(seed: 7);
        for (var i = 0; i < 300; i++)
        {
            var statement = new SelectStatement
            {
                Distinct = i % 3 == 0,
                Top = i % 4 == 0 ? i : null,
                Items = ValueList.Of<SelectItem>(new ExpressionItem(generator.Next(3), Identifier.Of(generator.Name())), StarItem.Instance),
                From = ValueList.Of<FromItem>(new TableRef(new TableName(Identifier.Of(generator.Name()), Identifier.Of(generator.Name())), Identifier.Of("h" + i))),
                Where = generator.Next(4),
                OrderBy = ValueList.Of(new OrderItem(generator.Next(2), i % 2 == 0)),
                Offset = i % 5 == 0 ? i : null,
            };

            var text = AdqlPrinter.Print(statement);

            Assert.True(statement.Equals(AdqlParser.Parse(text)), $"Round trip #{i} changed: {text}");
        }
    }

    /// <summary>Generates arbitrary (not necessarily type-correct) expression trees with hostile names and values.</summary>
    private sealed class RandomExprGenerator(int seed)
    {
        private static readonly string[] Names = ["a", "B_2", "select", "Order", "my col", "q\"uote", "level", "size", "x1", "\u00e9t\u00e9"];
        private static readonly string[] Strings = ["", "x", "it's", "''", "a\"b", "-- c", "EUI' OR '1'='1", "\n", "%_"];
        private static readonly string[] Numbers = ["0", "1", "42", "1.5", ".25", "3e10", "1E-3", "7.", "0x1A"];
        private static readonly string[] Functions = ["ABS", "ROUND", "UPPER", "POINT", "MAX", "COUNT", "COALESCE"];
        private readonly Random _random = new(seed);

        public string Name() => Names[_random.Next(Names.Length)];

        public Expr Next(int depth)
        {
            if (depth <= 0 || _random.Next(4) == 0)
            {
                return Leaf();
            }

            var d = depth - 1;
            return _random.Next(14) switch
            {
                0 => new NegateExpr(Next(d)),
                1 => new BinaryExpr((BinaryOperator)_random.Next(5), Next(d), Next(d)),
                2 => new ComparisonExpr((ComparisonOperator)_random.Next(6), Next(d), Next(d)),
                3 => new AndExpr(Next(d), Next(d)),
                4 => new OrExpr(Next(d), Next(d)),
                5 => new NotExpr(Next(d)),
                6 => new InExpr(Next(d), ValueList.Of(Next(d), Next(d)), _random.Next(2) == 0),
                7 => new BetweenExpr(Next(d), Next(d), Next(d), _random.Next(2) == 0),
                8 => new LikeExpr(Next(d), Next(d), _random.Next(2) == 0, _random.Next(2) == 0),
                9 => new IsNullExpr(Next(d), _random.Next(2) == 0),
                10 => Function(d),
                11 => new CastExpr(Next(d), "VARCHAR", _random.Next(2) == 0 ? 5 : null),
                12 => CountStarExpr.Instance,
                _ => Next(d),
            };
        }

        private FunctionCall Function(int depth)
        {
            var name = Functions[_random.Next(Functions.Length)];
            var distinct = name is "MAX" or "COUNT" && _random.Next(2) == 0;
            return new FunctionCall(name, ValueList.Of(Next(depth), Next(depth)), distinct);
        }

        private Expr Leaf() => _random.Next(7) switch
        {
            0 => new StringLiteral(Strings[_random.Next(Strings.Length)]),
            1 => new NumberLiteral(Numbers[_random.Next(Numbers.Length)]),
            2 => new BooleanLiteral(_random.Next(2) == 0),
            3 => NullLiteral.Instance,
            4 => new ColumnRef(new TableName(null, Identifier.Of(Name())), Identifier.Of(Name())),
            5 => new ColumnRef(new TableName(Identifier.Of(Name()), Identifier.Of(Name())), new Identifier(Name(), Delimited: true)),
            _ => new ColumnRef(null, Identifier.Of(Name())),
        };
    }
}
