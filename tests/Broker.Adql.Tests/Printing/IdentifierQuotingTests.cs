namespace Broker.Adql.Tests.Printing;

/// <summary>
/// Issue 9 item 4: names built by code that are ADQL 2.1 / SQL-92 reserved words (LEVEL, DESCRIPTOR, SIZE) or not
/// regular identifiers are delimited, and a provider may choose always | reserved | never | auto.
/// </summary>
public class IdentifierQuotingTests
{
    private static SelectStatement Query() =>
        Adql.Select().Column(Adql.Column("descriptor")).Column(Adql.Column("instrument")).From("brokertest.soar_data")
            .Where(Adql.Eq(Adql.Column("level"), Adql.String("L2"))).Build();

    [Theory]
    [InlineData("level", true)]
    [InlineData("DESCRIPTOR", true)]
    [InlineData("size", true)]
    [InlineData("point", true)] // ADQL 2.1's own
    [InlineData("select", true)]
    [InlineData("instrument", false)]
    [InlineData("begin_time", false)]
    [InlineData("has space", true)]
    public void Of_ReservedOrIrregularName_IsDelimited(string name, bool delimited)
    {
        Assert.Equal(delimited, Identifier.Of(name).Delimited);
    }

    [Fact]
    public void Print_Default_DelimitsReservedWords()
    {
        Assert.Equal("SELECT \"descriptor\", instrument FROM brokertest.soar_data WHERE \"level\" = 'L2'", AdqlPrinter.Print(Query()));
    }

    [Theory]
    [InlineData(QuoteIdentifiers.Reserved, "SELECT \"descriptor\", instrument FROM brokertest.soar_data WHERE \"level\" = 'L2'")]
    [InlineData(QuoteIdentifiers.Always, "SELECT \"descriptor\", \"instrument\" FROM \"brokertest\".\"soar_data\" WHERE \"level\" = 'L2'")]
    [InlineData(QuoteIdentifiers.Never, "SELECT descriptor, instrument FROM brokertest.soar_data WHERE level = 'L2'")]
    [InlineData(QuoteIdentifiers.Auto, "SELECT \"descriptor\", instrument FROM brokertest.soar_data WHERE \"level\" = 'L2'")]
    public void Print_WithMode_DelimitsAsTheModeSays(QuoteIdentifiers mode, string expected)
    {
        Assert.Equal(expected, AdqlPrinter.Print(Query(), new IdentifierQuoting(mode)));
    }

    [Fact]
    public void Print_AutoWithListedNames_DelimitsExactlyThoseTheServiceListsDelimited()
    {
        // A service whose /tables lists "level" delimited but descriptor bare (as ESAC lists its columns bare).
        var quoting = new IdentifierQuoting(QuoteIdentifiers.Auto, new HashSet<string>(["level"], StringComparer.OrdinalIgnoreCase));

        Assert.Equal("SELECT descriptor, instrument FROM brokertest.soar_data WHERE \"level\" = 'L2'", AdqlPrinter.Print(Query(), quoting));
    }

    [Fact]
    public void Print_NeverMode_StillDelimitsWhatTheGrammarCannotTakeBare()
    {
        var q = Adql.Select().Column(Adql.Column("from")).Column(Adql.Column("a b")).From("t").Build();

        Assert.Equal("SELECT \"from\", \"a b\" FROM t", AdqlPrinter.Print(q, new IdentifierQuoting(QuoteIdentifiers.Never)));
    }
}
