using System.Text;
using System.Text.Json;
using Broker.VoTable.Tests.Helpers;

namespace Broker.VoTable.Tests.Json;

public class JsonTableTests
{
    [Fact]
    public async Task CompleteAsync_Shape_MetadataAndDataArrays()
    {
        var ms = new MemoryStream();
        var bytes = await TableIo.WriteAsync(new JsonTableWriter(ms, [new("id", "long", Ucd: "meta.id"), new("s", "char", "1"), new("d", "double")]), ms,
            [[1L, "x", double.NaN], [null, "y", double.NegativeInfinity]]);
        using var doc = JsonDocument.Parse(bytes);
        var meta = doc.RootElement.GetProperty("metadata");
        Assert.Equal(3, meta.GetArrayLength());
        Assert.Equal(["name", "datatype", "arraysize", "xtype", "unit", "ucd", "utype", "description"],
            meta[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("meta.id", meta[0].GetProperty("ucd").GetString());
        Assert.Equal(JsonValueKind.Null, meta[1].GetProperty("arraysize").ValueKind);
        Assert.Equal("[[1,\"x\",null],[null,\"y\",\"-Inf\"]]", doc.RootElement.GetProperty("data").GetRawText());
        Assert.False(doc.RootElement.TryGetProperty("query_status", out _));
    }

    [Fact]
    public async Task WriteThenRead_AllDatatypes_RoundTripThroughSmallChunks()
    {
        var rows = SampleTables.AllTypesRows();
        var ms = new MemoryStream();
        var bytes = await TableIo.WriteAsync(new JsonTableWriter(ms, SampleTables.AllTypes), ms, rows);
        await using var reader = await JsonTableReader.OpenAsync(new NonSeekableStream(bytes, 3));
        Assert.Equal(SampleTables.AllTypes, reader.Fields);
        var read = await TableIo.ReadAllAsync(reader);
        Assert.Equal(rows.Length, read.Count);
        for (var i = 0; i < rows.Length; i++) RowAssert.Equal(rows[i], read[i], $"row {i}");
    }

    [Fact]
    public async Task WriteThenRead_OverflowAndError_StatusReported()
    {
        var ms = new MemoryStream();
        var overflowBytes = await TableIo.WriteAsync(new JsonTableWriter(ms, [new("a", "int")]), ms, [[1L]], overflow: true);
        await using var overflow = await JsonTableReader.OpenAsync(new MemoryStream(overflowBytes));
        Assert.Single(await TableIo.ReadAllAsync(overflow));
        Assert.True(overflow.IsOverflow);

        var ms2 = new MemoryStream();
        var failing = new JsonTableWriter(ms2, [new("a", "int")]);
        await failing.WriteRowAsync([1L]);
        await failing.FailAsync("boom \"quoted\"");
        await using var error = await JsonTableReader.OpenAsync(new MemoryStream(ms2.ToArray()));
        Assert.Single(await TableIo.ReadAllAsync(error));
        Assert.Equal("ERROR", error.QueryStatus);
        Assert.Equal("boom \"quoted\"", error.ErrorMessage);
    }

    [Fact]
    public async Task OpenAsync_ForeignJsonWithExtraPropertiesAndStrings_Typed()
    {
        var json = """
            {"jobId": null, "extra": {"nested": [1, 2, {"a": "b"}]},
             "metadata": [{"name": "n", "datatype": "int", "unit": null}, {"name": "f", "datatype": "double"}, {"name": "t", "datatype": "char", "arraysize": "*", "xtype": "timestamp"}],
             "data": [[1, "NaN", "2001-02-03T04:05:06Z"], ["2", 1e3, null], [3, "+Inf", "2001-02-03 04:05:06.5"]]}
            """;
        await using var reader = await JsonTableReader.OpenAsync(new NonSeekableStream(Encoding.UTF8.GetBytes(json), 4));
        var rows = await TableIo.ReadAllAsync(reader);
        Assert.Equal(new object?[] { 1L, null, new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc) }, rows[0]);
        Assert.Equal(new object?[] { 2L, 1000.0, null }, rows[1]);
        Assert.Equal(new object?[] { 3L, double.PositiveInfinity, new DateTime(2001, 2, 3, 4, 5, 6, 500, DateTimeKind.Utc) }, rows[2]);
        Assert.Null(reader.QueryStatus);
    }

    [Theory]
    [InlineData("[1,2,3]")]
    [InlineData("{\"metadata\":[{\"name\":\"a\",\"datatype\":\"int\"}],\"data\":[[1],[2]")]
    [InlineData("{\"metadata\":[{\"name\":\"a\",\"datatype\":\"int\"}],\"data\":[[1} ")]
    public async Task ReadAsync_MalformedJson_ThrowsTableFormatException(string json)
    {
        await Assert.ThrowsAsync<TableFormatException>(async () =>
        {
            await using var reader = await JsonTableReader.OpenAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)));
            while (await reader.ReadAsync()) { }
        });
    }
}
