using System.Text;
using Broker.VoTable.Tests.Helpers;
using static Broker.VoTable.Tests.Helpers.FastPathRead;

namespace Broker.VoTable.Tests.Internal;

/// <summary>The direct TABLEDATA scanner must give exactly what the XmlReader path gives, or leave the rows to it.</summary>
public class TableDataScannerTests
{
    private const string Fields = """
        <FIELD name="s" datatype="char" arraysize="*"/><FIELD name="i" datatype="int"><VALUES null="-1"/></FIELD>
        <FIELD name="d" datatype="double"/><FIELD name="u" datatype="unicodeChar" arraysize="*"/>
        <FIELD name="t" datatype="char" arraysize="*" xtype="timestamp"/><FIELD name="b" datatype="boolean"/>
        """;

    private static string Document(string rows, string prefix = "", string declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
    {
        var p = prefix.Length == 0 ? "" : prefix + ":";
        var ns = prefix.Length == 0 ? "xmlns=\"http://www.ivoa.net/xml/VOTable/v1.3\"" : $"xmlns:{prefix}=\"http://www.ivoa.net/xml/VOTable/v1.3\"";
        var fields = Fields.Replace("<FIELD", $"<{p}FIELD").Replace("</FIELD", $"</{p}FIELD").Replace("<VALUES", $"<{p}VALUES");
        return declaration + $"<{p}VOTABLE version=\"1.4\" {ns}><{p}RESOURCE type=\"results\"><{p}INFO name=\"QUERY_STATUS\" value=\"OK\"/>"
            + $"<{p}TABLE>{fields}<{p}DATA><{p}TABLEDATA>{rows.Replace("<TR", $"<{p}TR").Replace("</TR", $"</{p}TR").Replace("<TD", $"<{p}TD").Replace("</TD", $"</{p}TD")}"
            + $"</{p}TABLEDATA></{p}DATA></{p}TABLE><{p}INFO name=\"QUERY_STATUS\" value=\"OVERFLOW\"/></{p}RESOURCE></{p}VOTABLE>";
    }

    private const string PlainRow = "<TR><TD>a</TD><TD>1</TD><TD>1.5</TD><TD>x</TD><TD>2024-01-02T03:04:05Z</TD><TD>T</TD></TR>\n";

    /// <summary>Rows the scanner must read itself, giving the XmlReader's values.</summary>
    public static TheoryData<string, string> ScannedDocuments => new()
    {
        { "plain", PlainRow },
        { "entities", "<TR><TD>a &amp; b &lt;c&gt; &quot;q&quot; &apos;s&apos; &#x41;&#66;&#x1F600;</TD><TD>&#x31;2</TD><TD>1&#46;5</TD><TD>&#x2603;</TD><TD/><TD>&#84;</TD></TR>" },
        { "cdata", "<TR><TD><![CDATA[<b>&amp;</b>]]></TD><TD><![CDATA[ 7 ]]></TD><TD> <![CDATA[2.5]]> </TD><TD>x<![CDATA[ ]]>y</TD><TD><![CDATA[]]></TD><TD>F</TD></TR>" },
        { "comments and whitespace between elements", "\n <!-- before --> <TR>\r\n <TD>a</TD> <!-- between --> <TD>2</TD>\t<TD>3</TD><TD>u</TD><TD/><TD>1</TD>\n</TR><!-- after -->\r\n" },
        { "whitespace cells", "<TR><TD>   </TD><TD> 4 </TD><TD>\n 5e3 \n</TD><TD> padded </TD><TD> 2024-01-02T03:04:05 </TD><TD> f </TD></TR>" },
        { "empty and null cells", "<TR><TD></TD><TD>-1</TD><TD>NaN</TD><TD/><TD></TD><TD>?</TD></TR><TR><TD/><TD/><TD/><TD/><TD/><TD/></TR><TR></TR>" },
        { "short and long rows", "<TR><TD>only</TD></TR><TR><TD>a</TD><TD>1</TD><TD>2</TD><TD>u</TD><TD/><TD>T</TD><TD>extra</TD><TD>more</TD></TR>" },
        { "non-ASCII UTF-8", "<TR><TD>Größe ☃ 𝄞</TD><TD>3</TD><TD>-0.0</TD><TD>日本語</TD><TD/><TD>1</TD></TR>" },
        { "numbers", "<TR><TD>n</TD><TD>0x1F</TD><TD>-Inf</TD><TD/><TD/><TD/></TR><TR><TD>n</TD><TD>+12</TD><TD>1E-300</TD><TD/><TD/><TD/></TR>" },
    };

    [Theory]
    [MemberData(nameof(ScannedDocuments))]
    public async Task ReadAsync_ScannedMarkup_SameRowsAsXmlReader(string name, string rows)
    {
        foreach (var prefix in new[] { "", "vot" })
        {
            var bytes = Encoding.UTF8.GetBytes(Document(rows + PlainRow, prefix));
            var (expected, _, _) = await ReadAsync(bytes, fast: false);
            var (actual, reader, _) = await ReadAsync(bytes, fast: true);
            AssertSameRows(expected, actual, $"{name} (prefix '{prefix}')");
            Assert.True(reader!.FastTableDataRows == actual.Count, $"{name}: {reader.FastTableDataRows} of {actual.Count} rows scanned directly");
            Assert.False(reader.FastTableDataFellBack);
            Assert.Equal("OVERFLOW", reader.QueryStatus); // the trailer is still read by the XmlReader
        }
    }

    /// <summary>Markup the scanner leaves to the XmlReader: the rows before it are scanned, the rest are not.</summary>
    public static TheoryData<string, string> FallbackDocuments => new()
    {
        { "TR attribute", "<TR ID=\"r1\"><TD>a</TD></TR>" },
        { "TD attribute", "<TR><TD encoding=\"none\">a</TD></TR>" },
        { "nested element in TD", "<TR><TD>a<b>bold</b>c</TD></TR>" },
        { "comment in TD", "<TR><TD>a<!-- x -->b</TD></TR>" },
        { "carriage return in TD", "<TR><TD>a\r\nb</TD><TD>1</TD></TR>" },
        { "whitespace-only character reference", "<TR><TD>&#32;</TD></TR>" },
        { "text in TR", "<TR>stray<TD>a</TD></TR>" },
        { "text in TABLEDATA", "stray<TR><TD>a</TD></TR>" },
        { "processing instruction", "<?pi data?><TR><TD>a</TD></TR>" },
        { "empty TR element", "<TR/>" },
        { "other element", "<EXTRA><TR><TD>hidden</TD></TR></EXTRA><TR><TD>b</TD></TR>" },
        { "other prefix", "<x:TR xmlns:x=\"urn:x\"><x:TD>a</x:TD></x:TR>" },
        { "comment with double dash", "<!-- a -- b --><TR><TD>a</TD></TR>" },
        { "long character reference", "<TR><TD>&#x000000000041;</TD></TR>" },
    };

    [Theory]
    [MemberData(nameof(FallbackDocuments))]
    public async Task ReadAsync_MarkupLeftToXmlReader_SameRowsOrSameRejection(string name, string rows)
    {
        var bytes = Encoding.UTF8.GetBytes(Document(PlainRow + rows + PlainRow));
        var (expected, _, expectedError) = await ReadAsync(bytes, fast: false);
        var (actual, reader, actualError) = await ReadAsync(bytes, fast: true);
        AssertSameRows(expected, actual, name);
        Assert.Equal(expectedError is null, actualError is null);
        Assert.True(reader is null || reader.FastTableDataFellBack, $"{name}: expected the XmlReader to take over");
        if (reader is not null) Assert.Equal(1, reader.FastTableDataRows);
    }

    /// <summary>Malformed rows: both paths refuse the document with a TableFormatException after the same good rows.</summary>
    [Theory]
    [InlineData("undeclared entity", "<TR><TD>&foo;</TD></TR>")]
    [InlineData("unterminated entity", "<TR><TD>a &amp b</TD></TR>")]
    [InlineData("invalid character reference", "<TR><TD>&#0;</TD></TR>")]
    [InlineData("surrogate character reference", "<TR><TD>&#xD800;</TD></TR>")]
    [InlineData("control character", "<TR><TD>a\u0001b</TD></TR>")]
    [InlineData("mismatched end tag", "<TR><TD>1</TR></TD>")]
    [InlineData("unclosed TR", "<TR><TD>1</TD></TABLEDATA>")]
    [InlineData("DOCTYPE inside TABLEDATA", "<!DOCTYPE x [<!ENTITY e \"boom\">]><TR><TD>&e;</TD></TR>")]
    [InlineData("CDATA end in text", "<TR><TD>a ]]> b</TD></TR>")]
    [InlineData("bad number", "<TR><TD>a</TD><TD>twelve</TD></TR>")]
    public async Task ReadAsync_MalformedRow_RejectedLikeXmlReader(string name, string rows)
    {
        var bytes = Encoding.UTF8.GetBytes(Document(PlainRow + rows + PlainRow));
        var (expected, _, expectedError) = await ReadAsync(bytes, fast: false);
        var (actual, _, actualError) = await ReadAsync(bytes, fast: true);
        Assert.IsType<TableFormatException>(expectedError);
        Assert.IsType<TableFormatException>(actualError);
        AssertSameRows(expected, actual, name);
        if (name.Contains("DOCTYPE")) Assert.Contains("DTD", actualError!.Message);
    }

    [Fact]
    public async Task ReadAsync_InvalidUtf8InCell_RejectedLikeXmlReader()
    {
        var head = Encoding.UTF8.GetBytes(Document(PlainRow + "<TR><TD>SPLIT</TD></TR>"));
        var at = Encoding.UTF8.GetString(head).IndexOf("SPLIT", StringComparison.Ordinal);
        var bytes = head[..at].Concat(new byte[] { 0xC3, 0x28, 0xFF }).Concat(head[(at + 5)..]).ToArray();
        var (expected, _, expectedError) = await ReadAsync(bytes, fast: false);
        var (actual, _, actualError) = await ReadAsync(bytes, fast: true);
        Assert.IsType<TableFormatException>(expectedError);
        Assert.IsType<TableFormatException>(actualError);
        AssertSameRows(expected, actual, "invalid UTF-8");
    }

    [Fact]
    public async Task ReadAsync_TruncatedInsideRow_RejectedAfterCompleteRows()
    {
        var full = Document(string.Concat(Enumerable.Repeat(PlainRow, 3)));
        var bytes = Encoding.UTF8.GetBytes(full[..(full.IndexOf("</TABLEDATA>", StringComparison.Ordinal) - 20)]);
        var (rows, _, error) = await ReadAsync(bytes, fast: true);
        Assert.IsType<TableFormatException>(error);
        Assert.Equal(2, rows.Count);
    }

    [Fact]
    public async Task ReadAsync_Latin1Document_LeftToXmlReader()
    {
        var xml = Document("<TR><TD>caf\u00e9</TD></TR>", declaration: "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n");
        var reader = await VoTableReader.OpenAsync(new NonSeekableStream(Encoding.Latin1.GetBytes(xml)));
        var rows = await TableIo.ReadAllAsync(reader);
        Assert.Equal("caf\u00e9", rows[0][0]);
        Assert.Equal(0, reader.FastTableDataRows);
    }

    [Fact]
    public async Task ReadAsync_XmlSpacePreserve_LeftToXmlReader()
    {
        var xml = Document("<TR><TD>  </TD></TR>").Replace("<TABLE>", "<TABLE xml:space=\"preserve\">");
        var bytes = Encoding.UTF8.GetBytes(xml);
        var (expected, _, _) = await ReadAsync(bytes, fast: false);
        var (actual, reader, _) = await ReadAsync(bytes, fast: true);
        AssertSameRows(expected, actual, "xml:space");
        Assert.Equal(0, reader!.FastTableDataRows);
    }

    /// <summary>Many tricky rows over a stream delivered in small irregular chunks, so rows straddle buffer refills anywhere.</summary>
    [Fact]
    public async Task ReadAsync_LargeDocumentInSmallChunks_SameRowsAsXmlReader()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < 20_000; i++)
        {
            sb.Append(i % 3 == 0 ? "<TR>\n " : "<TR>");
            sb.Append($"<TD>n&amp;{i}&#x41;</TD><TD>{(i % 5 == 0 ? "-1" : i)}</TD><TD>{i * 0.25}</TD>");
            sb.Append(i % 4 == 0 ? $"<TD><![CDATA[c<{i}>]]></TD>" : "<TD/>");
            sb.Append($"<TD>2020-01-01T00:00:{i % 60:00}.5</TD><TD>{(i % 2 == 0 ? 'T' : 'F')}</TD>");
            sb.Append(i % 7 == 0 ? "<!-- c --></TR>\n" : "</TR>");
        }
        var bytes = Encoding.UTF8.GetBytes(Document(sb.ToString()));
        Assert.True(bytes.Length > 3 * PrefetchStream.DefaultCapacity);
        var (expected, _, _) = await ReadAsync(bytes, fast: false, chunk: 997);
        var (actual, reader, _) = await ReadAsync(bytes, fast: true, chunk: 997);
        Assert.Equal(20_000, actual.Count);
        AssertSameRows(expected, actual, "large");
        Assert.Equal(20_000, reader!.FastTableDataRows);
        Assert.Equal("n&0A", actual[0][0]);
        Assert.Equal("c<4>", actual[4][3]);
    }

    [Fact]
    public async Task ReadAsync_CellLargerThanPrefetchBuffer_ReadWhole()
    {
        var big = new string('z', 3 * PrefetchStream.DefaultCapacity);
        var bytes = Encoding.UTF8.GetBytes(Document(PlainRow + $"<TR><TD>{big}</TD><TD>9</TD></TR>" + PlainRow));
        var (rows, reader, error) = await ReadAsync(bytes, fast: true, chunk: 4096);
        Assert.Null(error);
        Assert.Equal(3, rows.Count);
        Assert.Equal(big, rows[1][0]);
        Assert.Equal(9L, rows[1][1]);
        Assert.Equal(3, reader!.FastTableDataRows);
    }

    [Fact]
    public async Task ReadAsync_GeneratedTable_ScannedDirectlyAndSameAsBinary2()
    {
        const int rows = 3000;
        await using var td = await VoTableReader.OpenAsync(new GeneratedVoTableStream(rows, VoTableSerialization.TableData));
        await using var b2 = await VoTableReader.OpenAsync(new GeneratedVoTableStream(rows, VoTableSerialization.Binary2));
        var n = 0;
        while (await td.ReadAsync())
        {
            Assert.True(await b2.ReadAsync());
            Assert.Equal(b2.Current, td.Current);
            n++;
        }
        Assert.Equal(rows, n);
        Assert.Equal(rows, td.FastTableDataRows);
    }
}
