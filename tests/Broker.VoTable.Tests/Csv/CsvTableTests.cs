using System.Text;
using Broker.VoTable.Tests.Helpers;

namespace Broker.VoTable.Tests.Csv;

public class CsvTableTests
{
    private static readonly TableField[] Fields =
        [new("id", "long"), new("name", "char", "*"), new("x", "double"), new("ok", "boolean"), new("t", "char", "*", Xtype: "timestamp")];

    private static async Task<string> WriteAsync(ITableWriter writer, MemoryStream ms, params object?[][] rows) =>
        Encoding.UTF8.GetString(await TableIo.WriteAsync(writer, ms, rows));

    [Fact]
    public async Task WriteRowAsync_SpecialCharacters_QuotedPerRfc4180()
    {
        var ms = new MemoryStream();
        var text = await WriteAsync(new CsvTableWriter(ms, Fields), ms,
            [1L, "a,b", 1.5, true, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc)],
            [2L, "say \"hi\"\r\nbye", null, false, null],
            [3L, "", double.NaN, null, null],
            [4L, " padded ", -0.0, null, null]);
        Assert.Equal(
            "id,name,x,ok,t\r\n" +
            "1,\"a,b\",1.5,true,2020-01-01T00:00:00.000\r\n" +
            "2,\"say \"\"hi\"\"\r\nbye\",,false,\r\n" +
            "3,\"\",NaN,,\r\n" +
            "4,\" padded \",-0,,\r\n", text);
    }

    [Fact]
    public async Task WriteThenRead_WithExpectedFields_TypedRoundTrip()
    {
        var rows = new object?[][]
        {
            [1L, "a,b", 1.5, true, new DateTime(2020, 1, 1, 0, 0, 0, 5, DateTimeKind.Utc)],
            [2L, "say \"hi\"\r\nbye\nend", null, false, null],
            [3L, "", 1e300, null, null],
            [long.MinValue + 1, "ünï ☃", -2.5, true, null],
        };
        var ms = new MemoryStream();
        var bytes = await TableIo.WriteAsync(new CsvTableWriter(ms, Fields), ms, rows);
        await using var reader = await CsvTableReader.OpenAsync(new NonSeekableStream(bytes, 5), Fields);
        var read = await TableIo.ReadAllAsync(reader);
        Assert.Equal(rows.Length, read.Count);
        for (var i = 0; i < rows.Length; i++) RowAssert.Equal(rows[i], read[i], $"row {i}");
        Assert.Null(reader.QueryStatus);
    }

    [Fact]
    public async Task OpenAsync_NoExpectedFields_AllStringsQuotedEmptyIsEmptyString()
    {
        var csv = "a,b,c\n1,,\"\"\n\"x\"\"y\",2,3";
        await using var reader = await CsvTableReader.OpenAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)));
        Assert.All(reader.Fields, f => Assert.Equal("char", f.Datatype));
        var rows = await TableIo.ReadAllAsync(reader);
        Assert.Equal(new object?[] { "1", null, "" }, rows[0]);
        Assert.Equal(new object?[] { "x\"y", "2", "3" }, rows[1]);
    }

    [Fact]
    public async Task ReadAsync_BlankLinesBomAndShortRows_Handled()
    {
        var csv = "\uFEFFID,Value\r\n\r\n7,1.25\r\n8\r\n\r\n";
        await using var reader = await CsvTableReader.OpenAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)),
            [new("id", "int"), new("value", "float")]);
        Assert.Equal(["ID", "Value"], reader.Fields.Select(f => f.Name));
        Assert.Equal("int", reader.Fields[0].Datatype);
        var rows = await TableIo.ReadAllAsync(reader);
        Assert.Equal(2, rows.Count);
        Assert.Equal(new object?[] { 7L, 1.25 }, rows[0]);
        Assert.Equal(new object?[] { 8L, null }, rows[1]);
    }

    [Fact]
    public async Task ReadAsync_UnterminatedQuote_Throws()
    {
        await using var reader = await CsvTableReader.OpenAsync(new MemoryStream("a,b\n1,\"never closed\n"u8.ToArray()));
        await Assert.ThrowsAsync<TableFormatException>(() => reader.ReadAsync().AsTask());
    }

    [Fact]
    public async Task ReadAsync_BadTypedValue_ThrowsNamingColumn()
    {
        await using var reader = await CsvTableReader.OpenAsync(new MemoryStream("n\nabc\n"u8.ToArray()), [new("n", "long")]);
        var e = await Assert.ThrowsAsync<TableFormatException>(() => reader.ReadAsync().AsTask());
        Assert.Contains("'n'", e.Message);
    }

    [Fact]
    public async Task TsvWriter_TabsNewlinesBackslashes_Escaped()
    {
        var ms = new MemoryStream();
        var writer = new TsvTableWriter(ms, [new("a\tb", "char", "*"), new("n", "int")]);
        Assert.Equal("text/tab-separated-values", writer.ContentType);
        var text = await WriteAsync(writer, ms, ["x\ty\nz\\w", 1L], [null, null]);
        Assert.Equal("a\\tb\tn\nx\\ty\\nz\\\\w\t1\n\t\n", text);
    }

    [Fact]
    public async Task TsvWriteThenRead_EscapedValues_RoundTrip()
    {
        var ms = new MemoryStream();
        var bytes = await TableIo.WriteAsync(new TsvTableWriter(ms, [new("s", "char", "*"), new("d", "double")]), ms,
            [["tab\there\r\nnew \\ line", 2.5], ["plain", null]]);
        await using var reader = await CsvTableReader.OpenTsvAsync(new MemoryStream(bytes), [new("d", "double")]);
        var rows = await TableIo.ReadAllAsync(reader);
        Assert.Equal(new object?[] { "tab\there\r\nnew \\ line", 2.5 }, rows[0]);
        Assert.Equal(new object?[] { "plain", null }, rows[1]);
    }
}
