using System.Text;
using Broker.VoTable.Tests.Helpers;
using static Broker.VoTable.Tests.Helpers.FastPathRead;

namespace Broker.VoTable.Tests.Internal;

/// <summary>Binary STREAMs decoded straight from the input bytes must give what the XmlReader's decoder gives.</summary>
public class Base64StreamScannerTests
{
    private static readonly TableField[] Fields =
    [
        new("id", "long"), new("x", "double"), new("s", "char", "*"), new("t", "char", "*", Xtype: "timestamp"),
        new("n", "int"), new("b", "boolean"), new("u", "unicodeChar", "*"),
    ];

    private static IEnumerable<object?[]> Rows(int count)
    {
        for (var i = 0; i < count; i++)
            yield return [(long)i, i * 0.5, i % 3 == 0 ? null : "s" + new string('x', i % 5), new DateTime(2021, 1, 1, 0, 0, i % 60, DateTimeKind.Utc),
                i % 4 == 0 ? null : i, i % 2 == 0, i % 5 == 0 ? "☃" : "u"];
    }

    /// <summary>Writes a table and re-lays the base64 text of its STREAM with <paramref name="layout"/>.</summary>
    private static async Task<string> DocumentAsync(VoTableSerialization serialization, int rows, Func<string, string> layout)
    {
        var xml = TableIo.Text(await TableIo.WriteVoTableAsync(Fields, Rows(rows), serialization));
        var open = xml.IndexOf("<STREAM encoding=\"base64\">", StringComparison.Ordinal) + "<STREAM encoding=\"base64\">".Length;
        var close = xml.IndexOf("</STREAM>", open, StringComparison.Ordinal);
        var text = new string(xml[open..close].Where(c => !char.IsWhiteSpace(c)).ToArray());
        return xml[..open] + layout(text) + xml[close..];
    }

    private static string Lines(string text, int width, string newline)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < text.Length; i += width) sb.Append(text, i, Math.Min(width, text.Length - i)).Append(newline);
        return sb.ToString();
    }

    public static TheoryData<string> Layouts => ["76 LF", "one line", "CRLF 64", "spaces everywhere", "tabs and blank lines", "odd widths"];

    private static string Layout(string name, string text) => name switch
    {
        "76 LF" => "\n" + Lines(text, 76, "\n"),
        "one line" => text,
        "CRLF 64" => "\r\n" + Lines(text, 64, "\r\n"),
        // (the XmlReader refuses whitespace between two '=' padding characters, so the padding stays together)
        "spaces everywhere" => string.Join(" ", text.TrimEnd('=').ToCharArray()) + text[text.TrimEnd('=').Length..],
        "tabs and blank lines" => "\t\n\n" + Lines(text, 7, "\t \n\n") + "   ",
        _ => Lines(text, 13, "\n "),
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task ReadAsync_WhitespaceLayouts_SameRowsAsXmlReader(string layout)
    {
        foreach (var serialization in new[] { VoTableSerialization.Binary, VoTableSerialization.Binary2 })
        {
            foreach (var rows in new[] { 0, 1, 2, 3, 50, 4000 })
            {
                var bytes = Encoding.UTF8.GetBytes(await DocumentAsync(serialization, rows, t => Layout(layout, t)));
                var (expected, _, expectedError) = await ReadAsync(bytes, fast: false);
                var (actual, reader, actualError) = await ReadAsync(bytes, fast: true, chunk: 331);
                Assert.Null(expectedError);
                Assert.Null(actualError);
                Assert.Equal(rows, actual.Count);
                AssertSameRows(expected, actual, $"{serialization} {rows} rows, {layout}");
                Assert.True(reader!.UsedFastBinary);
                Assert.False(reader.FastBinaryFellBack, $"{serialization} {rows} rows, {layout}: fell back");
                Assert.Equal("OK", reader.QueryStatus);
            }
        }
    }

    /// <summary>
    /// The output fills up exactly at the end of a line while the end tag is already buffered: the text after that
    /// line is still to decode (it used to be skipped as if the tag came next, losing the last rows — an authorised
    /// SOAR answer failed with "binary stream ends in the middle of a row").
    /// </summary>
    [Fact]
    public void Decode_OutputFullAtALineEndBeforeTheEndTag_LeavesTheRestForTheNextCall()
    {
        var scanner = new Base64StreamScanner([]);
        var input = "AAECAwQF\nBgcI\n</STREAM>"u8;
        var output = new byte[6];

        var first = scanner.Decode(input, output, endOfInput: true, out var consumed, out var written);
        var second = scanner.Decode(input[consumed..], new byte[6], endOfInput: true, out var consumed2, out var written2);

        Assert.Equal((Base64StreamScanner.Result.Progress, 8, 6), (first, consumed, written));
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4, 5 }, output);
        Assert.Equal((Base64StreamScanner.Result.End, 3), (second, written2));
        Assert.Equal("</STREAM>", Encoding.UTF8.GetString(input[(consumed + consumed2)..]));
    }

    /// <summary>
    /// The same case met through the reader: documents of these sizes (written as providers write them, 76-character
    /// lines) fill the reader's 64 KiB row buffer at a line end while the end tag is already buffered.
    /// </summary>
    [Theory]
    [InlineData(19_943)]
    [InlineData(31_907)]
    [InlineData(39_883)]
    public async Task ReadAsync_RowBufferFullAtALineEndNearTheEndTag_EveryRowRead(int rows)
    {
        var bytes = await TableIo.WriteVoTableAsync(Fields, Rows(rows), VoTableSerialization.Binary2);
        await using var reader = await VoTableReader.OpenAsync(new MemoryStream(bytes));
        var read = 0;
        while (await reader.ReadAsync())
        {
            Assert.Equal((long)read, reader.Current[0]);
            read++;
        }
        Assert.Equal(rows, read);
        Assert.True(reader.UsedFastBinary);
        Assert.False(reader.FastBinaryFellBack);
    }

    [Fact]
    public async Task ReadAsync_PrefixedNamespace_DecodedDirectly()
    {
        var xml = await DocumentAsync(VoTableSerialization.Binary2, 100, t => Lines(t, 76, "\n"));
        xml = System.Text.RegularExpressions.Regex.Replace(xml, "<(/?)([A-Z]+)", "<$1v:$2")
            .Replace("xmlns=", "xmlns:v=");
        var bytes = Encoding.UTF8.GetBytes(xml);
        var (expected, _, _) = await ReadAsync(bytes, fast: false);
        var (actual, reader, error) = await ReadAsync(bytes, fast: true);
        Assert.Null(error);
        Assert.Equal(100, actual.Count);
        AssertSameRows(expected, actual, "prefixed");
        Assert.True(reader!.UsedFastBinary);
        Assert.False(reader.FastBinaryFellBack);
    }

    /// <summary>Text the direct decoder leaves to the XmlReader part-way through: same rows as the XmlReader alone.</summary>
    [Theory]
    [InlineData("comment")]
    [InlineData("CDATA")]
    [InlineData("character reference")]
    public async Task ReadAsync_MarkupInsideStream_XmlReaderTakesOverWithSameRows(string kind)
    {
        var xml = await DocumentAsync(VoTableSerialization.Binary2, 3000, t =>
        {
            var cut = t.Length / 2 / 4 * 4 + 1; // not on a quartet boundary
            var insert = kind switch
            {
                "comment" => "<!-- note -->",
                "CDATA" => "<![CDATA[" + t[cut..(cut + 8)] + "]]>",
                _ => "&#" + (int)t[cut] + ";",
            };
            var skip = kind switch { "CDATA" => 8, "character reference" => 1, _ => 0 };
            return Lines(t[..cut], 76, "\n") + insert + Lines(t[(cut + skip)..], 76, "\n");
        });
        var bytes = Encoding.UTF8.GetBytes(xml);
        var (expected, _, expectedError) = await ReadAsync(bytes, fast: false);
        var (actual, reader, actualError) = await ReadAsync(bytes, fast: true, chunk: 500);
        Assert.Null(expectedError);
        Assert.Null(actualError);
        Assert.Equal(3000, actual.Count);
        AssertSameRows(expected, actual, kind);
        Assert.True(reader!.FastBinaryFellBack);
    }

    [Theory]
    [InlineData("invalid character")]
    [InlineData("truncated document")]
    [InlineData("row cut short")]
    [InlineData("padding in the middle")]
    public async Task ReadAsync_BadStream_RejectedLikeXmlReader(string kind)
    {
        var xml = await DocumentAsync(VoTableSerialization.Binary2, 500, t => kind switch
        {
            "invalid character" => Lines(t[..400] + "*" + t[401..], 76, "\n"),
            "row cut short" => Lines(t[..(t.Length / 2 / 4 * 4)], 76, "\n"),
            "padding in the middle" => Lines(t[..400] + "====" + t[400..], 76, "\n"),
            _ => Lines(t, 76, "\n"),
        });
        if (kind == "truncated document") xml = xml[..(xml.IndexOf("</STREAM>", StringComparison.Ordinal) - 100)];
        var bytes = Encoding.UTF8.GetBytes(xml);
        var (expected, _, expectedError) = await ReadAsync(bytes, fast: false);
        var (actual, _, actualError) = await ReadAsync(bytes, fast: true, chunk: 777);
        Assert.IsType<TableFormatException>(expectedError);
        Assert.IsType<TableFormatException>(actualError);
        Assert.Equal(expected.Count, actual.Count);
    }

    [Theory]
    [InlineData("<STREAM encoding=\"base64\"/>")]
    [InlineData("<STREAM encoding=\"base64\"></STREAM>")]
    [InlineData("<STREAM encoding=\"base64\">\n  \n</STREAM>")]
    public async Task ReadAsync_EmptyStream_NoRows(string stream)
    {
        var xml = "<VOTABLE version=\"1.4\"><RESOURCE><TABLE><FIELD name=\"a\" datatype=\"int\"/><DATA><BINARY2>" + stream
            + "</BINARY2></DATA></TABLE><INFO name=\"QUERY_STATUS\" value=\"OVERFLOW\"/></RESOURCE></VOTABLE>";
        var (rows, reader, error) = await ReadAsync(Encoding.UTF8.GetBytes(xml), fast: true);
        Assert.Null(error);
        Assert.Empty(rows);
        Assert.True(reader!.IsOverflow);
    }

    [Fact]
    public async Task ReadAsync_GeneratedMillionByteStream_SameAsTableData()
    {
        const int rows = 20_000;
        await using var td = await VoTableReader.OpenAsync(new GeneratedVoTableStream(rows, VoTableSerialization.TableData));
        await using var b2 = await VoTableReader.OpenAsync(new GeneratedVoTableStream(rows, VoTableSerialization.Binary2));
        var n = 0;
        while (await b2.ReadAsync())
        {
            Assert.True(await td.ReadAsync());
            Assert.Equal(td.Current, b2.Current);
            n++;
        }
        Assert.False(await td.ReadAsync());
        Assert.Equal(rows, n);
        Assert.True(b2.UsedFastBinary);
        Assert.False(b2.FastBinaryFellBack);
    }
}
