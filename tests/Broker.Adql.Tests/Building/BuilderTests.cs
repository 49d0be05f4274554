namespace Broker.Adql.Tests.Building;

public class BuilderTests
{
    [Fact]
    public void Column_Qualified_PrintsDottedName()
    {
        Assert.Equal("h1.begin_time", AdqlPrinter.Print(Adql.Column("h1", "begin_time")));
    }

    [Fact]
    public void Column_ReservedName_IsDelimited()
    {
        var column = Adql.Column("order");

        Assert.True(column.Delimited);
        Assert.Equal("\"order\"", AdqlPrinter.Print(column));
    }

    [Fact]
    public void Number_Negative_IsNegatedLiteral()
    {
        Assert.Equal(new NegateExpr(new NumberLiteral("2.5")), Adql.Number(-2.5));
        Assert.Equal("-2.5", AdqlPrinter.Print(Adql.Number(-2.5)));
    }

    [Fact]
    public void Number_SmallDouble_RoundTripsExactly()
    {
        var literal = Assert.IsType<NumberLiteral>(Adql.Number(1.2345678901234567e-5));

        Assert.Equal(1.2345678901234567e-5, literal.Value);
        Assert.Equal(literal, AdqlParser.ParseExpression(AdqlPrinter.Print(literal)));
    }

    [Fact]
    public void Number_Long_KeepsAllDigits()
    {
        var literal = Assert.IsType<NumberLiteral>(Adql.Number(9007199254740993L));

        Assert.Equal("9007199254740993", literal.Text);
        Assert.True(literal.TryGetInt64(out var value));
        Assert.Equal(9007199254740993L, value);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Number_NotFinite_Throws(double value)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Adql.Number(value));
    }

    [Fact]
    public void Timestamp_OffsetValue_FormattedAsUtcIso()
    {
        var literal = Adql.Timestamp(new DateTimeOffset(2022, 3, 21, 2, 0, 0, 123, TimeSpan.FromHours(2)));

        Assert.Equal("2022-03-21T00:00:00.123", literal.Value);
    }

    [Fact]
    public void AndAll_SkipsNulls_LeftDeep()
    {
        var a = Adql.Eq(Adql.Column("a"), Adql.Number(1));
        var b = Adql.Eq(Adql.Column("b"), Adql.Number(2));

        var combined = Adql.AndAll(new Expr?[] { null, a, null, b, null });

        Assert.Equal(new AndExpr(a, b), combined);
    }

    [Fact]
    public void AndAll_OnlyNulls_ReturnsNull()
    {
        Assert.Null(Adql.AndAll(new Expr?[] { null, null }));
    }

    [Fact]
    public void ExtensionAnd_NullRight_ReturnsLeft()
    {
        var a = Adql.Eq(Adql.Column("a"), Adql.Number(1));

        Assert.Same(a, a.And(null));
    }

    [Fact]
    public void In_Strings_BuildsStringLiterals()
    {
        var e = Adql.In(Adql.Column("instrument"), new[] { "EUI", "MAG" });

        Assert.Equal("instrument IN ('EUI', 'MAG')", AdqlPrinter.Print(e));
    }

    [Fact]
    public void In_Empty_Throws()
    {
        Assert.Throws<ArgumentException>(() => Adql.In(Adql.Column("a"), Array.Empty<string>()));
    }

    // descriptor is an SQL-92 reserved word: a name built by code is delimited (issue 9 item 4).
    [Fact]
    public void LikeAndUpper_Compose()
    {
        Assert.Equal("UPPER(\"descriptor\") LIKE 'EUI-%'", AdqlPrinter.Print(Adql.Like(Adql.Upper(Adql.Column("descriptor")), "EUI-%")));
    }

    [Fact]
    public void SelectBuilder_SoarJoin_PrintsExpectedAdql()
    {
        var where = Adql.AndAll(
            Adql.Eq(Adql.Column("h1", "instrument"), Adql.String("EUI")),
            Adql.Ge(Adql.Column("h1", "begin_time"), Adql.Timestamp(new DateTimeOffset(2022, 2, 11, 0, 0, 0, TimeSpan.Zero))),
            Adql.Le(Adql.Column("h1", "begin_time"), Adql.Timestamp(new DateTimeOffset(2022, 2, 12, 0, 0, 0, TimeSpan.Zero))),
            Adql.Eq(Adql.Column("h2", "dimension_index"), Adql.Number(1)));

        var statement = Adql.Select(Adql.Column("h1", "instrument"), Adql.Column("h2", "detector"))
            .Top(100)
            .From("soar.v_sc_data_item", "h1")
            .Join("soar.v_eui_sc_fits", "h2", "data_item_oid")
            .Where(where)
            .OrderBy(Adql.Column("h1", "begin_time"), descending: true)
            .Build();

        Assert.Equal(
            "SELECT TOP 100 h1.instrument, h2.detector FROM soar.v_sc_data_item AS h1 JOIN soar.v_eui_sc_fits AS h2 USING (data_item_oid) "
            + "WHERE h1.instrument = 'EUI' AND h1.begin_time >= '2022-02-11T00:00:00.000' AND h1.begin_time <= '2022-02-12T00:00:00.000' "
            + "AND h2.dimension_index = 1 ORDER BY h1.begin_time DESC",
            AdqlPrinter.Print(statement));
        Assert.Equal(statement, AdqlParser.Parse(AdqlPrinter.Print(statement)));
    }

    [Fact]
    public void SelectBuilder_WhereCalledTwiceAndWithNull_AndsNonNull()
    {
        var statement = Adql.Select().From("t")
            .Where(Adql.Eq(Adql.Column("a"), Adql.Number(1)))
            .Where(null)
            .Where(Adql.IsNotNull(Adql.Column("b")))
            .Build();

        Assert.Equal("SELECT * FROM t WHERE a = 1 AND b IS NOT NULL", AdqlPrinter.Print(statement));
    }

    [Fact]
    public void SelectBuilder_AliasesAndOffset_Printed()
    {
        var statement = Adql.Select().Distinct().Column(Adql.CountAll(), "n").Item(Adql.Column("x").As("y"))
            .From("s.t", "d").GroupBy(Adql.Column("x")).Having(Adql.Gt(Adql.CountAll(), Adql.Number(1))).Offset(3).Build();

        Assert.Equal("SELECT DISTINCT COUNT(*) AS n, x AS y FROM s.t AS d GROUP BY x HAVING COUNT(*) > 1 OFFSET 3", AdqlPrinter.Print(statement));
    }

    [Fact]
    public void SelectBuilder_LeftJoinOn_PrintsOuterJoin()
    {
        var statement = Adql.Select().AllColumnsOf("a").From("a")
            .JoinOn("b", null, Adql.Eq(Adql.Column("a", "id"), Adql.Column("b", "id")), JoinType.Left).Build();

        Assert.Equal("SELECT a.* FROM a LEFT OUTER JOIN b ON a.id = b.id", AdqlPrinter.Print(statement));
    }

    [Fact]
    public void SelectBuilder_NoFrom_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => Adql.Select().AllColumns().Build());
    }

    [Fact]
    public void SelectBuilder_JoinBeforeFrom_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => Adql.Select().Join("b", null, "id"));
    }
}
