using System.IO.Compression;
using System.Text;
using Broker.VoTable.Tests.Helpers;

namespace Broker.VoTable.Tests.Formats;

public class TableFactoryTests
{
    private static readonly TableField[] Fields =
        [new("id", "long"), new("name", "char", "*"), new("ra", "double"), new("t", "char", "*", Xtype: "timestamp"), new("ok", "boolean")];

    private static object?[][] Rows() =>
    [
        [1L, "alpha, \"a\"", 10.5, new DateTime(2022, 6, 1, 12, 0, 0, 250, DateTimeKind.Utc), true],
        [2L, null, null, null, null],
        [long.MaxValue, "ωmega", -1e-10, new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc), false],
    ];

    [Theory]
    [InlineData(null, TableFormat.VoTable, "application/x-votable+xml")]
    [InlineData("votable", TableFormat.VoTable, "application/x-votable+xml")]
    [InlineData("VOTable/TD", TableFormat.VoTable, "application/x-votable+xml")]
    [InlineData("application/x-votable+xml", TableFormat.VoTable, "application/x-votable+xml")]
    [InlineData("application/x-votable+xml;serialization=TABLEDATA", TableFormat.VoTable, "application/x-votable+xml")]
    [InlineData("text/xml", TableFormat.VoTable, "text/xml")]
    [InlineData("votable/b2", TableFormat.VoTableBinary2, "application/x-votable+xml;serialization=BINARY2")]
    [InlineData("binary2", TableFormat.VoTableBinary2, "application/x-votable+xml;serialization=BINARY2")]
    [InlineData("application/x-votable+xml; serialization=\"binary2\"", TableFormat.VoTableBinary2, "application/x-votable+xml;serialization=BINARY2")]
    [InlineData("votable/b", TableFormat.VoTableBinary, "application/x-votable+xml;serialization=BINARY")]
    [InlineData("application/x-votable+xml;serialization=BINARY", TableFormat.VoTableBinary, "application/x-votable+xml;serialization=BINARY")]
    [InlineData("csv", TableFormat.Csv, "text/csv;header=present")]
    [InlineData("text/csv", TableFormat.Csv, "text/csv;header=present")]
    [InlineData("tsv", TableFormat.Tsv, "text/tab-separated-values")]
    [InlineData("text/tab-separated-values", TableFormat.Tsv, "text/tab-separated-values")]
    [InlineData("json", TableFormat.Json, "application/json")]
    [InlineData("application/json", TableFormat.Json, "application/json")]
    public void Create_ResponseFormatAlias_ExpectedFormatAndContentType(string? requested, TableFormat format, string contentType)
    {
        Assert.True(TableWriters.TryParseFormat(requested, out var parsed));
        Assert.Equal(format, parsed);
        var writer = TableWriters.Create(requested, new MemoryStream(), Fields);
        Assert.Equal(contentType, writer.ContentType);
    }

    [Theory]
    [InlineData("fits")]
    [InlineData("application/x-votable+xml;serialization=FITS")]
    [InlineData("text/html")]
    public void Create_UnknownFormat_NotSupported(string requested)
    {
        Assert.False(TableWriters.TryParseFormat(requested, out _));
        var e = Assert.Throws<NotSupportedException>(() => TableWriters.Create(requested, new MemoryStream(), Fields));
        Assert.Contains(requested, e.Message);
    }

    [Theory]
    [InlineData("votable", false)]
    [InlineData("votable/b2", false)]
    [InlineData("votable/b", false)]
    [InlineData("csv", false)]
    [InlineData("tsv", false)]
    [InlineData("json", false)]
    [InlineData("votable/b2", true)]
    [InlineData("csv", true)]
    public async Task OpenAsync_AnyWrittenFormat_SniffedAndReadBackIdentically(string format, bool gzip)
    {
        var ms = new MemoryStream();
        var writer = TableWriters.Create(format, ms, Fields);
        var bytes = await TableIo.WriteAsync(writer, ms, Rows());
        if (gzip)
        {
            var zipped = new MemoryStream();
            await using (var gz = new GZipStream(zipped, CompressionLevel.Fastest, leaveOpen: true)) await gz.WriteAsync(bytes);
            bytes = zipped.ToArray();
        }
        var contentType = format == "tsv" ? writer.ContentType : null; // TSV cannot be told from CSV by content alone
        await using var reader = await TableReaders.OpenAsync(new NonSeekableStream(bytes), contentType, default, Fields);
        Assert.Equal(Fields.Select(f => f.Name), reader.Fields.Select(f => f.Name));
        var read = await TableIo.ReadAllAsync(reader);
        var expected = Rows();
        Assert.Equal(expected.Length, read.Count);
        for (var i = 0; i < expected.Length; i++) RowAssert.Equal(expected[i], read[i], $"{format} row {i}");
        Assert.Equal(format is "csv" or "tsv" ? typeof(CsvTableReader) : format == "json" ? typeof(JsonTableReader) : typeof(VoTableReader), reader.GetType());
    }

    [Fact]
    public async Task OpenAsync_XmlContentTypeButHtmlError_Throws()
    {
        await Assert.ThrowsAsync<TableFormatException>(() =>
            TableReaders.OpenAsync(new MemoryStream("Service Unavailable"u8.ToArray()), "application/x-votable+xml"));
    }

    [Fact]
    public async Task OpenAsync_ErrorVoTable_StatusAvailableThroughInterface()
    {
        var reader = await TableReaders.OpenAsync(new MemoryStream(VoTableWriter.CreateErrorDocument("no such column: foo")), "text/xml");
        Assert.Equal("ERROR", reader.QueryStatus);
        Assert.Equal("no such column: foo", reader.ErrorMessage);
        Assert.False(await reader.ReadAsync());
    }
}
