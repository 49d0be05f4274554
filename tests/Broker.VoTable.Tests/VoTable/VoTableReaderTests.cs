using System.Text;
using Broker.VoTable.Tests.Helpers;

namespace Broker.VoTable.Tests.VoTable;

public class VoTableReaderTests
{
    private const string Body = """
        <RESOURCE type="results">
          <INFO name="QUERY_STATUS" value="OK"/>
          <TABLE>
            <FIELD name="id" datatype="int"><VALUES null="-32768"/></FIELD>
            <FIELD name="name" datatype="char" arraysize="*"/>
            <FIELD name="x" datatype="double"/>
            <DATA><TABLEDATA>
              <TR><TD>1</TD><TD>a</TD><TD>1.5</TD></TR>
              <TR><TD>-32768</TD><TD/><TD>NaN</TD></TR>
            </TABLEDATA></DATA>
          </TABLE>
        </RESOURCE>
        """;

    [Theory]
    [InlineData("<VOTABLE version=\"1.1\" xmlns=\"http://www.ivoa.net/xml/VOTable/v1.1\">")]
    [InlineData("<VOTABLE version=\"1.2\" xmlns=\"http://www.ivoa.net/xml/VOTable/v1.2\">")]
    [InlineData("<VOTABLE version=\"1.3\" xmlns=\"http://www.ivoa.net/xml/VOTable/v1.3\">")]
    [InlineData("<VOTABLE version=\"1.4\" xmlns=\"http://www.ivoa.net/xml/VOTable/v1.3\">")]
    [InlineData("<VOTABLE version=\"1.3\">")]
    [InlineData("<vot:VOTABLE version=\"1.3\" xmlns:vot=\"http://www.ivoa.net/xml/VOTable/v1.3\">")]
    public async Task ReadAsync_AnyNamespace_ReadsRowsAndNulls(string root)
    {
        var xml = "<?xml version=\"1.0\"?>\n" + root + Body + (root.StartsWith("<vot:") ? "</vot:VOTABLE>" : "</VOTABLE>");
        if (root.StartsWith("<vot:")) xml = xml.Replace("<RESOURCE", "<vot:RESOURCE").Replace("</RESOURCE", "</vot:RESOURCE");
        var (reader, rows) = await TableIo.ReadVoTableAsync(xml);

        Assert.Equal(["id", "name", "x"], reader.Fields.Select(f => f.Name));
        Assert.Equal("-32768", reader.Fields[0].NullValue);
        Assert.Equal(2, rows.Count);
        Assert.Equal(new object?[] { 1L, "a", 1.5 }, rows[0]);
        Assert.Equal(new object?[] { null, null, null }, rows[1]);
        Assert.Equal("OK", reader.QueryStatus);
    }

    [Fact]
    public async Task OpenAsync_FieldMetadata_AllAttributesParsed()
    {
        var (reader, _) = await TableIo.ReadVoTableAsync("""
            <VOTABLE><RESOURCE><TABLE>
            <FIELD name="t" ID="c1" datatype="char" arraysize="19" xtype="timestamp" unit="s" ucd="time.start" utype="obscore:t">
              <DESCRIPTION> start time </DESCRIPTION><VALUES null="none"><MIN value="0"/></VALUES></FIELD>
            <PARAM name="p" datatype="int" value="3"/>
            </TABLE></RESOURCE></VOTABLE>
            """);
        var f = Assert.Single(reader.Fields);
        Assert.Equal(new TableField("t", "char", "19", "timestamp", "s", "time.start", "obscore:t", "start time", "none") { XmlId = "c1" }, f);
    }

    [Fact]
    public async Task ReadAsync_MetaResourcesBeforeAndAfterTheTable_AreReadWithTheirParamsAndGroups()
    {
        var (reader, rows) = await TableIo.ReadVoTableAsync("""
            <VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
            <RESOURCE type="meta" utype="adhoc:service" ID="first"><INFO name="QUERY_STATUS" value="ERROR">not the document's</INFO>
              <PARAM name="accessURL" datatype="char" arraysize="*" value="http://x/soda"/></RESOURCE>
            <RESOURCE type="results"><INFO name="QUERY_STATUS" value="OK"/>
            <TABLE><FIELD name="ID" ID="idcol" datatype="char" arraysize="*"/><DATA><TABLEDATA><TR><TD>a</TD></TR></TABLEDATA></DATA></TABLE>
            </RESOURCE>
            <RESOURCE type="meta" utype="adhoc:service" ID="soda" name="cut"><DESCRIPTION> Cut-outs </DESCRIPTION>
              <PARAM name="standardID" datatype="char" arraysize="*" value="ivo://ivoa.net/std/SODA#sync-1.0"/>
              <GROUP name="inputParams">
                <PARAM name="ID" datatype="char" arraysize="*" ref="idcol" value=""/>
                <PARAM name="CIRCLE" datatype="double" arraysize="3" xtype="circle" unit="deg" value="">
                  <DESCRIPTION>cone</DESCRIPTION><VALUES><MAX value="10 20 1"/></VALUES></PARAM>
                <PARAM name="POL" datatype="char" arraysize="*" value=""><VALUES><OPTION value="I"/><OPTION value="V"/></VALUES></PARAM>
              </GROUP>
              <TABLE><FIELD name="ignored" datatype="int"/></TABLE>
            </RESOURCE></VOTABLE>
            """);

        Assert.Single(rows);
        Assert.Equal("idcol", reader.Fields[0].XmlId);
        Assert.Equal("OK", reader.QueryStatus);
        Assert.Equal(["first", "soda"], reader.MetaResources.Select(r => r.Id));
        Assert.Equal("http://x/soda", reader.MetaResources[0].ParamValue("accessURL"));
        var soda = reader.MetaResources[1];
        Assert.Equal(("cut", "adhoc:service", "Cut-outs"), (soda.Name, soda.Utype, soda.Description));
        Assert.Equal("ivo://ivoa.net/std/SODA#sync-1.0", soda.ParamValue("standardID"));
        var inputs = Assert.Single(soda.Groups);
        Assert.Equal("inputParams", inputs.Name);
        Assert.Equal(["ID", "CIRCLE", "POL"], inputs.Params.Select(p => p.Name));
        Assert.Equal("idcol", inputs.Params[0].Ref);
        Assert.Equal(("double", "3", "circle", "deg", "cone", null, "10 20 1"),
            (inputs.Params[1].Datatype, inputs.Params[1].Arraysize, inputs.Params[1].Xtype, inputs.Params[1].Unit, inputs.Params[1].Description, inputs.Params[1].Min, inputs.Params[1].Max));
        Assert.Equal(["I", "V"], inputs.Params[2].Options);
    }

    [Fact]
    public async Task ReadAsync_TrailingOverflow_ReportedAfterLastRow()
    {
        var reader = await VoTableReader.OpenAsync(new NonSeekableStream(Encoding.UTF8.GetBytes("""
            <VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE type="results">
            <INFO name="QUERY_STATUS" value="OK"/>
            <TABLE><FIELD name="a" datatype="long"/><DATA><TABLEDATA><TR><TD>7</TD></TR></TABLEDATA></DATA></TABLE>
            <INFO name="QUERY_STATUS" value="OVERFLOW"/>
            </RESOURCE></VOTABLE>
            """)));
        Assert.Equal("OK", reader.QueryStatus);
        Assert.True(await reader.ReadAsync());
        Assert.Equal(7L, reader.Current[0]);
        Assert.False(await reader.ReadAsync());
        Assert.Equal("OVERFLOW", reader.QueryStatus);
        Assert.True(reader.IsOverflow);
        Assert.Null(reader.ErrorMessage);
    }

    [Fact]
    public async Task ReadAsync_TrailingErrorAfterRows_ReportsErrorAndKeepsRows()
    {
        var (reader, rows) = await TableIo.ReadVoTableAsync("""
            <VOTABLE><RESOURCE type="results"><INFO name="QUERY_STATUS" value="OK"/>
            <TABLE><FIELD name="a" datatype="short"/><DATA><TABLEDATA><TR><TD>1</TD></TR><TR><TD>2</TD></TR></TABLEDATA></DATA></TABLE>
            <INFO name="QUERY_STATUS" value="ERROR">backend went away</INFO>
            </RESOURCE></VOTABLE>
            """);
        Assert.Equal(2, rows.Count);
        Assert.Equal("ERROR", reader.QueryStatus);
        Assert.Equal("backend went away", reader.ErrorMessage);
        Assert.False(reader.IsOverflow);
    }

    [Theory]
    [InlineData("<INFO name=\"QUERY_STATUS\" value=\"ERROR\">Bad ADQL: unknown table foo</INFO>")]
    [InlineData("<INFO name=\"QUERY_STATUS\" value=\"ERROR: Bad ADQL: unknown table foo\"/>")]
    [InlineData("<INFO name=\"QUERY_STATUS\" value=\"ERROR\"/><DESCRIPTION>Bad ADQL: unknown table foo</DESCRIPTION>")]
    [InlineData("<INFO name=\"QUERY_STATUS\" value=\"ERROR\"><![CDATA[Bad ADQL: unknown table foo]]></INFO>")]
    public async Task OpenAsync_ErrorDocumentWithoutTable_ReportsErrorMessage(string info)
    {
        var reader = await VoTableReader.OpenAsync(new MemoryStream(Encoding.UTF8.GetBytes(
            $"<VOTABLE version=\"1.3\" xmlns=\"http://www.ivoa.net/xml/VOTable/v1.3\"><RESOURCE type=\"results\">{info}</RESOURCE></VOTABLE>")));
        Assert.Equal("ERROR", reader.QueryStatus);
        Assert.Equal("Bad ADQL: unknown table foo", reader.ErrorMessage);
        Assert.Empty(reader.Fields);
        Assert.False(await reader.ReadAsync());
        Assert.Equal("ERROR", reader.QueryStatus);
    }

    [Fact]
    public async Task OpenAsync_ExternalEntityDtd_RejectedWithoutExpansion()
    {
        var secret = Path.GetTempFileName();
        await File.WriteAllTextAsync(secret, "TOP-SECRET-CONTENT");
        try
        {
            var xml = $"""
                <?xml version="1.0"?>
                <!DOCTYPE VOTABLE [ <!ENTITY xxe SYSTEM "file://{secret}"> ]>
                <VOTABLE><RESOURCE><INFO name="QUERY_STATUS" value="ERROR">&xxe;</INFO></RESOURCE></VOTABLE>
                """;
            var e = await Assert.ThrowsAsync<TableFormatException>(() => VoTableReader.OpenAsync(new MemoryStream(Encoding.UTF8.GetBytes(xml))));
            Assert.Contains("DTD", e.Message);
            Assert.DoesNotContain("TOP-SECRET", e.ToString());
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public async Task OpenAsync_DtdAfterLargePrefix_StillRejectedByXmlSettings()
    {
        // the DOCTYPE is hidden behind a long comment so the byte-prefix check cannot see it
        var xml = "<?xml version=\"1.0\"?><!--" + new string('x', 300_000) + "-->"
            + "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]><VOTABLE>&lol2;</VOTABLE>";
        var e = await Assert.ThrowsAsync<TableFormatException>(() => VoTableReader.OpenAsync(new NonSeekableStream(Encoding.UTF8.GetBytes(xml))));
        Assert.Contains("DTD", e.Message);
    }

    [Fact]
    public async Task OpenAsync_HeaderNestedMegabyteDeep_IsRefusedAtTheDepthBound()
    {
        var xml = "<VOTABLE><RESOURCE>" + string.Concat(Enumerable.Repeat("<GROUP>", 150_000));

        var e = await Assert.ThrowsAsync<TableFormatException>(() => TableIo.ReadVoTableAsync(xml));

        Assert.Contains($"deeper than {VoTableReader.MaxDepth} levels", e.Message);
    }

    [Fact]
    public async Task OpenAsync_NotAVoTable_Throws()
    {
        var e = await Assert.ThrowsAsync<TableFormatException>(() => TableIo.ReadVoTableAsync("<html><body>502 Bad Gateway</body></html>"));
        Assert.Contains("html", e.Message);
    }

    [Fact]
    public async Task ReadAsync_TruncatedDocument_ThrowsTableFormatException()
    {
        var xml = "<VOTABLE><RESOURCE><TABLE><FIELD name=\"a\" datatype=\"int\"/><DATA><TABLEDATA><TR><TD>1</TD></TR><TR><TD>2";
        await Assert.ThrowsAsync<TableFormatException>(() => TableIo.ReadVoTableAsync(xml));
    }

    [Fact]
    public async Task ReadAsync_TableWithoutData_NoRowsButFields()
    {
        var (reader, rows) = await TableIo.ReadVoTableAsync(
            "<VOTABLE><RESOURCE><TABLE><FIELD name=\"a\" datatype=\"int\"/></TABLE><INFO name=\"QUERY_STATUS\" value=\"OVERFLOW\"/></RESOURCE></VOTABLE>");
        Assert.Empty(rows);
        Assert.Single(reader.Fields);
        Assert.True(reader.IsOverflow);
    }

    [Fact]
    public async Task ReadAsync_EntitiesCdataAndShortRows_DecodedAndPadded()
    {
        var (_, rows) = await TableIo.ReadVoTableAsync("""
            <VOTABLE><RESOURCE><TABLE>
            <FIELD name="a" datatype="char" arraysize="*"/><FIELD name="b" datatype="unicodeChar" arraysize="*"/><FIELD name="c" datatype="int"/>
            <DATA><TABLEDATA>
            <TR><TD>a &amp; b &lt;c&gt; &#x2603;</TD><TD><![CDATA[<x>]]>y</TD><TD> 0x1F </TD></TR>
            <TR><TD>only</TD></TR>
            <TR/>
            </TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>
            """);
        Assert.Equal(new object?[] { "a & b <c> ☃", "<x>y", 31L }, rows[0]);
        Assert.Equal(new object?[] { "only", null, null }, rows[1]);
        Assert.Equal(new object?[] { null, null, null }, rows[2]);
    }

    [Theory]
    [InlineData("2024-03-01T12:34:56.789", 789)]
    [InlineData("2024-03-01T12:34:56.789Z", 789)]
    [InlineData("2024-03-01 12:34:56.789", 789)]
    [InlineData("2024-03-01T12:34:56", 0)]
    [InlineData(" 2024-03-01T13:34:56.789+01:00 ", 789)]
    public async Task ReadAsync_TimestampColumn_ParsedAsUtcDateTime(string text, int ms)
    {
        var (_, rows) = await TableIo.ReadVoTableAsync(
            $"<VOTABLE><RESOURCE><TABLE><FIELD name=\"t\" datatype=\"char\" arraysize=\"*\" xtype=\"timestamp\"/><DATA><TABLEDATA><TR><TD>{text}</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>");
        var dt = Assert.IsType<DateTime>(rows[0][0]);
        Assert.Equal(new DateTime(2024, 3, 1, 12, 34, 56, ms, DateTimeKind.Utc), dt);
        Assert.Equal(DateTimeKind.Utc, dt.Kind);
    }

    [Fact]
    public async Task ReadAsync_SpecialFloatsAndBooleans_Typed()
    {
        var (_, rows) = await TableIo.ReadVoTableAsync("""
            <VOTABLE><RESOURCE><TABLE><FIELD name="d" datatype="double"/><FIELD name="b" datatype="boolean"/><DATA><TABLEDATA>
            <TR><TD>+Inf</TD><TD>T</TD></TR><TR><TD>-Inf</TD><TD>false</TD></TR><TR><TD>Infinity</TD><TD>?</TD></TR>
            <TR><TD>1e-300</TD><TD>1</TD></TR><TR><TD>nan</TD><TD>F</TD></TR>
            </TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>
            """);
        Assert.Equal(new object?[] { double.PositiveInfinity, true }, rows[0]);
        Assert.Equal(new object?[] { double.NegativeInfinity, false }, rows[1]);
        Assert.Equal(new object?[] { double.PositiveInfinity, null }, rows[2]);
        Assert.Equal(new object?[] { 1e-300, true }, rows[3]);
        Assert.Equal(new object?[] { null, false }, rows[4]);
    }

    [Fact]
    public async Task ReadAsync_UnparsableNumber_ThrowsNamingColumn()
    {
        var e = await Assert.ThrowsAsync<TableFormatException>(() => TableIo.ReadVoTableAsync(
            "<VOTABLE><RESOURCE><TABLE><FIELD name=\"mag\" datatype=\"float\"/><DATA><TABLEDATA><TR><TD>bright</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>"));
        Assert.Contains("mag", e.Message);
    }

    [Fact]
    public async Task ReadAsync_HandWrittenBinary2_NullFlagsMsbFirst()
    {
        // columns: short a, char[3] b, double c, char* d; row 1: a=null (flag 0x80), b="ab" padded with NUL, c=2.5, d="xy"
        // row 2: c=null and d=null (flags 0x20|0x10), a=5, b="x  " (space padded)
        var row1 = new byte[] { 0x80, 0, 0, (byte)'a', (byte)'b', 0, 0x40, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, (byte)'x', (byte)'y' };
        var row2 = new byte[] { 0x30, 0, 5, (byte)'x', (byte)' ', (byte)' ', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
        var b64 = Convert.ToBase64String([.. row1, .. row2], Base64FormattingOptions.InsertLineBreaks);
        var (reader, rows) = await TableIo.ReadVoTableAsync($"""
            <VOTABLE version="1.3" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE>
            <FIELD name="a" datatype="short"/><FIELD name="b" datatype="char" arraysize="3"/>
            <FIELD name="c" datatype="double"/><FIELD name="d" datatype="char" arraysize="*"/>
            <DATA><BINARY2><STREAM encoding="base64">
            {b64}
            </STREAM></BINARY2></DATA></TABLE></RESOURCE></VOTABLE>
            """);
        Assert.Equal(VoTableSerialization.Binary2, reader.Serialization);
        Assert.Equal(2, rows.Count);
        Assert.Equal(new object?[] { null, "ab", 2.5, "xy" }, rows[0]);
        Assert.Equal(new object?[] { 5L, "x", null, null }, rows[1]);
    }

    [Fact]
    public async Task ReadAsync_HandWrittenBinaryWithValuesNull_MagicValuesAndNaNAreNull()
    {
        // int with VALUES null=-1, float, variable int array: (-1, NaN, [1,2]) and (3, 1.5f, [])
        var bytes = new List<byte>();
        bytes.AddRange([0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0xC0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2]);
        bytes.AddRange([0, 0, 0, 3, 0x3F, 0xC0, 0, 0, 0, 0, 0, 0]);
        var (_, rows) = await TableIo.ReadVoTableAsync($"""
            <VOTABLE version="1.2" xmlns="http://www.ivoa.net/xml/VOTable/v1.2"><RESOURCE><TABLE>
            <FIELD name="i" datatype="int"><VALUES null="-1"/></FIELD><FIELD name="f" datatype="float"/>
            <FIELD name="arr" datatype="int" arraysize="*"/>
            <DATA><BINARY><STREAM encoding="base64">{Convert.ToBase64String(bytes.ToArray())}</STREAM></BINARY></DATA></TABLE></RESOURCE></VOTABLE>
            """);
        Assert.Equal(2, rows.Count);
        Assert.Null(rows[0][0]);
        Assert.Null(rows[0][1]);
        Assert.Equal(new long[] { 1, 2 }, rows[0][2]);
        Assert.Equal(new object?[] { 3L, 1.5, null }, rows[1]);
    }

    [Fact]
    public async Task ReadAsync_BinaryStreamEndsMidRow_Throws()
    {
        var b64 = Convert.ToBase64String([0, 0, 0, 1, 0, 0]);
        var e = await Assert.ThrowsAsync<TableFormatException>(() => TableIo.ReadVoTableAsync(
            $"<VOTABLE><RESOURCE><TABLE><FIELD name=\"i\" datatype=\"int\"/><DATA><BINARY><STREAM encoding=\"base64\">{b64}</STREAM></BINARY></DATA></TABLE></RESOURCE></VOTABLE>"));
        Assert.Contains("middle of a row", e.Message);
    }

    [Theory]
    [InlineData("<FITS><STREAM href=\"http://x/f.fits\"/></FITS>", "FITS")]
    [InlineData("<BINARY2><STREAM href=\"http://x/data\"/></BINARY2>", "Remote")]
    [InlineData("<BINARY2><STREAM encoding=\"gzip\">AAAA</STREAM></BINARY2>", "encoding")]
    public async Task OpenAsync_UnsupportedData_ThrowsClearly(string data, string expected)
    {
        var e = await Assert.ThrowsAsync<TableFormatException>(() => TableIo.ReadVoTableAsync(
            $"<VOTABLE><RESOURCE><TABLE><FIELD name=\"i\" datatype=\"int\"/><DATA>{data}</DATA></TABLE></RESOURCE></VOTABLE>"));
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData(VoTableSerialization.TableData)]
    [InlineData(VoTableSerialization.Binary2)]
    public async Task ReadAsync_CellLargerThanPrefetchWindow_ReadThroughNonSeekableStream(VoTableSerialization serialization)
    {
        var big = new string('é', 700_000) + "end";
        var bytes = await TableIo.WriteVoTableAsync([new("s", "char", "*"), new("n", "int")], [[big, 1L], ["small", 2L]], serialization);
        var (_, rows) = await TableIo.ReadVoTableAsync(bytes);
        Assert.Equal(big, rows[0][0]);
        Assert.Equal(new object?[] { "small", 2L }, rows[1]);
    }

    [Fact]
    public async Task Infos_ResourceInfos_CollectedInOrder()
    {
        var (reader, _) = await TableIo.ReadVoTableAsync("""
            <VOTABLE><INFO name="server" value="x"/><RESOURCE type="results"><INFO name="QUERY_STATUS" value="OK"/>
            <INFO name="provider" value="VSO:OK">12 rows</INFO><TABLE><FIELD name="a" datatype="int"/></TABLE>
            <INFO name="provider" value="SDAC:ERROR">timeout</INFO></RESOURCE></VOTABLE>
            """);
        Assert.Equal(
            [new VoTableInfo("server", "x"), new VoTableInfo("QUERY_STATUS", "OK"), new VoTableInfo("provider", "VSO:OK", "12 rows"), new VoTableInfo("provider", "SDAC:ERROR", "timeout")],
            reader.Infos);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ReadAsync_LongCellWithSurrogatePairs_ChunkBoundariesPreserveText(int offset)
    {
        // offsets shift the surrogate pairs across the reader's internal chunk boundaries
        var text = new string('a', offset) + string.Concat(Enumerable.Repeat("ö𝄞x", 3000));
        var (_, rows) = await TableIo.ReadVoTableAsync(
            $"<VOTABLE><RESOURCE><TABLE><FIELD name=\"s\" datatype=\"unicodeChar\" arraysize=\"*\"/><DATA><TABLEDATA><TR><TD>{text}</TD></TR><TR><TD>b</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>");
        Assert.Equal(text, rows[0][0]);
        Assert.Equal("b", rows[1][0]);
    }
}
