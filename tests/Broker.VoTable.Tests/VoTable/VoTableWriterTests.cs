using System.Text;
using System.Xml;
using Broker.VoTable.Tests.Helpers;

namespace Broker.VoTable.Tests.VoTable;

public class VoTableWriterTests
{
    private static readonly TableField[] Simple = [new("id", "long"), new("name", "char", "*")];

    [Fact]
    public async Task CompleteAsync_Header_VersionNamespaceResourceAndOkBeforeTable()
    {
        var text = TableIo.Text(await TableIo.WriteVoTableAsync(Simple, [[1L, "a"]], VoTableSerialization.TableData));
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<VOTABLE version=\"1.4\" xmlns=\"http://www.ivoa.net/xml/VOTable/v1.3\">", text);
        var ok = text.IndexOf("<INFO name=\"QUERY_STATUS\" value=\"OK\"/>", StringComparison.Ordinal);
        Assert.True(text.IndexOf("<RESOURCE type=\"results\">", StringComparison.Ordinal) is var r && r >= 0 && r < ok);
        Assert.True(ok >= 0 && ok < text.IndexOf("<TABLE>", StringComparison.Ordinal));
        Assert.Contains("<TR><TD>1</TD><TD>a</TD></TR>", text);
        Assert.DoesNotContain("OVERFLOW", text);
    }

    [Fact]
    public async Task CompleteAsync_Overflow_InfoAfterTable()
    {
        var text = TableIo.Text(await TableIo.WriteVoTableAsync(Simple, [[1L, "a"]], VoTableSerialization.Binary2, overflow: true));
        var overflow = text.IndexOf("<INFO name=\"QUERY_STATUS\" value=\"OVERFLOW\"/>", StringComparison.Ordinal);
        Assert.True(overflow > text.IndexOf("</TABLE>", StringComparison.Ordinal));
        Assert.True(overflow < text.IndexOf("</RESOURCE>", StringComparison.Ordinal));
        var (reader, rows) = await TableIo.ReadVoTableAsync(text);
        Assert.True(reader.IsOverflow);
        Assert.Single(rows);
    }

    [Fact]
    public async Task CompleteAsync_OptionsAndTrailingInfos_WrittenInResource()
    {
        var ms = new MemoryStream();
        var writer = new VoTableWriter(ms, Simple, options: new TableWriterOptions
        {
            Infos = [new VoTableInfo("provider", "VSO:OK", "3 rows & more")],
            Description = "federated result",
            TableName = "results",
        });
        await writer.WriteRowAsync([1L, "x"]);
        await writer.CompleteAsync(trailingInfos: [new VoTableInfo("provider", "SDAC:ERROR", "timed out <30s>")]);
        var text = TableIo.Text(ms.ToArray());
        Assert.Contains("<DESCRIPTION>federated result</DESCRIPTION>", text);
        Assert.Contains("<INFO name=\"provider\" value=\"VSO:OK\">3 rows &amp; more</INFO>", text);
        Assert.Contains("<TABLE name=\"results\">", text);
        Assert.True(text.IndexOf("SDAC:ERROR", StringComparison.Ordinal) > text.IndexOf("</TABLE>", StringComparison.Ordinal));
        var (reader, _) = await TableIo.ReadVoTableAsync(text);
        Assert.Contains(new VoTableInfo("provider", "SDAC:ERROR", "timed out <30s>"), reader.Infos);
        Assert.Equal("OK", reader.QueryStatus);
    }

    [Theory]
    [InlineData(VoTableSerialization.TableData)]
    [InlineData(VoTableSerialization.Binary)]
    [InlineData(VoTableSerialization.Binary2)]
    public async Task FailAsync_AfterRows_TrailingErrorInfoAndRowsReadable(VoTableSerialization serialization)
    {
        var ms = new MemoryStream();
        var writer = new VoTableWriter(ms, Simple, serialization);
        await writer.WriteRowAsync([1L, "a"]);
        await writer.WriteRowAsync([2L, "b"]);
        await writer.FailAsync("provider crashed");
        var text = TableIo.Text(ms.ToArray());
        Assert.True(text.IndexOf("<INFO name=\"QUERY_STATUS\" value=\"ERROR\">provider crashed</INFO>", StringComparison.Ordinal) > text.IndexOf("</TABLE>", StringComparison.Ordinal));
        var (reader, rows) = await TableIo.ReadVoTableAsync(text);
        Assert.Equal(2, rows.Count);
        Assert.Equal("ERROR", reader.QueryStatus);
        Assert.Equal("provider crashed", reader.ErrorMessage);
    }

    [Fact]
    public async Task FailAsync_BeforeAnyRow_ErrorDocumentWithoutTable()
    {
        var ms = new MemoryStream();
        var writer = new VoTableWriter(ms, Simple);
        await writer.FailAsync("syntax error at line 1");
        var text = TableIo.Text(ms.ToArray());
        Assert.DoesNotContain("<TABLE", text);
        Assert.DoesNotContain("value=\"OK\"", text);
        Assert.Contains("<INFO name=\"QUERY_STATUS\" value=\"ERROR\">syntax error at line 1</INFO>", text);
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteRowAsync([1L, "a"]).AsTask());
    }

    [Fact]
    public async Task WriteErrorDocumentAsync_Message_ExactInfoAndValidVoTable()
    {
        var ms = new MemoryStream();
        await VoTableWriter.WriteErrorDocumentAsync(ms, "Unknown table 'foo'");
        var bytes = ms.ToArray();
        var text = TableIo.Text(bytes);
        Assert.Contains("<RESOURCE type=\"results\">\n<INFO name=\"QUERY_STATUS\" value=\"ERROR\">Unknown table 'foo'</INFO>", text);
        Assert.DoesNotContain("<TABLE", text);
        Assert.NotEqual(0xEF, bytes[0]); // no BOM
        var (reader, rows) = await TableIo.ReadVoTableAsync(bytes);
        Assert.Empty(rows);
        Assert.Equal("Unknown table 'foo'", reader.ErrorMessage);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a\u0000b\u0001c <d> & ]]> \"e\" \ud800 \uFFFF")]
    public void CreateErrorDocument_HostileOrEmptyMessage_WellFormedWithText(string? message)
    {
        var bytes = VoTableWriter.CreateErrorDocument(message);
        using var xml = XmlReader.Create(new MemoryStream(bytes));
        string? content = null;
        while (xml.Read())
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "INFO") content = xml.ReadElementContentAsString();
        Assert.False(string.IsNullOrWhiteSpace(content));
        if (message is { Length: > 0 }) Assert.Contains("<d> & ]]> \"e\"", content);
    }

    [Fact]
    public async Task WriteRowAsync_Fields_MetadataWrittenWithoutCharArraysize1()
    {
        TableField[] fields =
        [
            new("c", "char", "1"),
            new("t", "char", "*", "timestamp", "s", "time.start", "obscore:t_min", "Start <time>"),
            new("i", "int", NullValue: "-999"),
        ];
        var text = TableIo.Text(await TableIo.WriteVoTableAsync(fields, [["x", new DateTime(2020, 1, 2, 3, 4, 5, 6, DateTimeKind.Utc), null]], VoTableSerialization.TableData));
        Assert.Contains("<FIELD name=\"c\" datatype=\"char\"/>", text);
        Assert.Contains("<FIELD name=\"t\" datatype=\"char\" arraysize=\"*\" xtype=\"timestamp\" unit=\"s\" ucd=\"time.start\" utype=\"obscore:t_min\">\n<DESCRIPTION>Start &lt;time&gt;</DESCRIPTION>", text);
        Assert.Contains("<FIELD name=\"i\" datatype=\"int\">\n<VALUES null=\"-999\"/>\n</FIELD>", text);
        Assert.Contains("<TR><TD>x</TD><TD>2020-01-02T03:04:05.006</TD><TD/></TR>", text);
        var (reader, _) = await TableIo.ReadVoTableAsync(text);
        Assert.Equal(fields[1], reader.Fields[1]);
    }

    [Fact]
    public async Task WriteRowAsync_FloatsAndBooleans_InvariantShortestRoundTrip()
    {
        TableField[] fields = [new("d", "double"), new("f", "float"), new("b", "boolean")];
        var rows = new object?[][]
        {
            [0.1, 0.1f, true], [double.NaN, float.PositiveInfinity, false], [double.NegativeInfinity, 1e-45f, null], [1.0 / 3.0, 3.4028235e38f, true],
        };
        var text = TableIo.Text(await TableIo.WriteVoTableAsync(fields, rows, VoTableSerialization.TableData));
        Assert.Contains("<TR><TD>0.1</TD><TD>0.1</TD><TD>T</TD></TR>", text);
        Assert.Contains("<TR><TD>NaN</TD><TD>+Inf</TD><TD>F</TD></TR>", text);
        Assert.Contains("<TR><TD>-Inf</TD><TD>1E-45</TD><TD/></TR>", text);
        var (_, read) = await TableIo.ReadVoTableAsync(text);
        Assert.Equal(1.0 / 3.0, read[3][0]);
        Assert.Equal(3.4028235e38f, (float)(double)read[3][1]!);
        Assert.Null(read[1][0]); // NaN reads as null
    }

    [Fact]
    public async Task WriteRowAsync_Binary_IntegerColumnsGetValuesNull()
    {
        var ms = new MemoryStream();
        var writer = new VoTableWriter(ms, [new("s", "short"), new("l", "long"), new("k", "int", NullValue: "-1")], VoTableSerialization.Binary);
        await writer.WriteRowAsync([null, null, null]);
        await writer.CompleteAsync();
        var text = TableIo.Text(ms.ToArray());
        Assert.Contains("<VALUES null=\"-32768\"/>", text);
        Assert.Contains("<VALUES null=\"-9223372036854775808\"/>", text);
        Assert.Contains("<VALUES null=\"-1\"/>", text);
        Assert.Contains("<BINARY>\n<STREAM encoding=\"base64\">", text);
        var (_, rows) = await TableIo.ReadVoTableAsync(text);
        Assert.Equal(new object?[] { null, null, null }, rows[0]);
    }

    [Theory]
    [InlineData(VoTableSerialization.TableData)]
    [InlineData(VoTableSerialization.Binary2)]
    public async Task WriteRowAsync_UnconvertibleValue_ThrowsAndRowIsNotWritten(VoTableSerialization serialization)
    {
        var ms = new MemoryStream();
        var writer = new VoTableWriter(ms, Simple, serialization);
        await writer.WriteRowAsync([1L, "ok"]);
        await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteRowAsync(["not a number", "bad"]).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteRowAsync([1L]).AsTask());
        await writer.WriteRowAsync([2L, "ok2"]);
        await writer.CompleteAsync();
        var (_, rows) = await TableIo.ReadVoTableAsync(ms.ToArray());
        Assert.Equal([1L, 2L], rows.Select(r => r[0]));
    }

    [Fact]
    public async Task WriteRowAsync_ManyRows_FlushesBeforeCompletion()
    {
        var ms = new MemoryStream();
        var writer = new VoTableWriter(ms, Simple, options: new TableWriterOptions { FlushThresholdBytes = 4096 });
        for (var i = 0; i < 2000; i++) await writer.WriteRowAsync([(long)i, "row " + i]);
        Assert.True(ms.Length > 30_000, $"only {ms.Length} bytes reached the stream before completion");
        await writer.CompleteAsync();
        Assert.Equal(2000, writer.RowCount);
    }

    [Theory]
    [InlineData(VoTableSerialization.TableData)]
    [InlineData(VoTableSerialization.Binary)]
    [InlineData(VoTableSerialization.Binary2)]
    public async Task WriteThenRead_EmptyStringVsNull_OnlyBinary2KeepsEmptyString(VoTableSerialization serialization)
    {
        TableField[] fields = [new("s", "char", "*"), new("u", "unicodeChar", "*")];
        var bytes = await TableIo.WriteVoTableAsync(fields, [["", ""], [null, null], ["ü", "ü"]], serialization);
        var (_, rows) = await TableIo.ReadVoTableAsync(bytes);
        var empty = serialization == VoTableSerialization.Binary2 ? "" : null;
        Assert.Equal(new object?[] { empty, empty }, rows[0]);
        Assert.Equal(new object?[] { null, null }, rows[1]);
        Assert.Equal(new object?[] { "ü", "ü" }, rows[2]);
    }

    [Fact]
    public async Task WriteThenRead_BinaryUnsignedByte255_CollidesWithAutomaticNull()
    {
        var bytes = await TableIo.WriteVoTableAsync([new("ub", "unsignedByte")], [[255L], [254L]], VoTableSerialization.Binary);
        var (_, rows) = await TableIo.ReadVoTableAsync(bytes);
        Assert.Null(rows[0][0]); // documented BINARY limitation: 255 is the default null of unsignedByte
        Assert.Equal(254L, rows[1][0]);
    }

    [Fact]
    public async Task WriteThenRead_FixedCharTooLong_TruncatedOnCharacterBoundary()
    {
        var bytes = await TableIo.WriteVoTableAsync([new("c", "char", "4")], [["abcdef"], ["aé€"]], VoTableSerialization.Binary2);
        var (_, rows) = await TableIo.ReadVoTableAsync(bytes);
        Assert.Equal("abcd", rows[0][0]);
        Assert.Equal("aé", rows[1][0]); // '€' needs 3 more UTF-8 bytes than fit
    }

    [Fact]
    public void Constructor_UnknownDatatype_ThrowsArgumentException()
    {
        var e = Assert.Throws<ArgumentException>(() => new VoTableWriter(new MemoryStream(), [new("x", "quaternion")]));
        Assert.Contains("quaternion", e.Message);
    }

    [Fact]
    public async Task WriteRowAsync_ClrTypes_CoercedToColumnTypes()
    {
        TableField[] fields = [new("i", "int"), new("d", "double"), new("t", "char", "*", Xtype: "timestamp"), new("s", "char", "*")];
        var bytes = await TableIo.WriteVoTableAsync(fields,
            [[(short)3, 2, new DateTimeOffset(2021, 5, 6, 9, 0, 0, TimeSpan.FromHours(2)), 4.5m]], VoTableSerialization.Binary2);
        var (_, rows) = await TableIo.ReadVoTableAsync(bytes);
        Assert.Equal(new object?[] { 3L, 2.0, new DateTime(2021, 5, 6, 7, 0, 0, DateTimeKind.Utc), "4.5" }, rows[0]);
    }
}
