using Broker.Core.Model;
using Broker.TapService.Schema;

namespace Broker.TapService.Tests;

public sealed class RecordTablesTests
{
    private static readonly DataRecord Record = new()
    {
        Provider = "sdo", FileId = "aia 171/2022", Instrument = "AIA", Source = "SDO", Level = "L1",
        Start = new DateTimeOffset(2022, 3, 21, 12, 0, 0, TimeSpan.Zero), End = new DateTimeOffset(2022, 3, 22, 0, 0, 0, TimeSpan.Zero),
        WaveMin = 171, WaveMax = 172, SizeKb = 1234.6, DataType = "IMAGE",
    };

    [Fact]
    public void ObsCoreRow_UsesMjdMetresAndTheBrokersDataLink()
    {
        var row = RecordTables.ObsCoreRow(Record, "http://broker/tap/links");
        object? Cell(string name) => row[RecordTables.ObsCore.Columns.ToList().FindIndex(c => c.Name == name)];

        Assert.Equal(RecordTables.ObsCore.Columns.Count, row.Length);
        Assert.Equal(59659.5, (double)Cell("t_min")!, 9);
        Assert.Equal(59660.0, (double)Cell("t_max")!, 9);
        Assert.Equal(1.71e-8, (double)Cell("em_min")!, 15);
        Assert.Equal("image", Cell("dataproduct_type"));
        Assert.Equal(1L, Cell("calib_level"));
        Assert.Equal(1235L, Cell("access_estsize"));
        Assert.Equal(RecordTables.DataLinkFormat, Cell("access_format"));
        Assert.Equal("http://broker/tap/links?ID=" + Uri.EscapeDataString("ivo://vso.broker/records?sdo/aia 171/2022"), Cell("access_url"));
    }

    [Fact]
    public void RecordRow_HasOneValuePerColumn()
    {
        Assert.Equal(RecordTables.Records.Columns.Count, RecordTables.RecordRow(Record, "http://broker/tap/links").Length);
    }

    [Theory]
    [InlineData("ivo://vso.broker/records?sdo/aia/171", "sdo", "aia/171")]
    [InlineData("ivo://vso.broker/records?soar/x", "soar", "x")]
    public void RecordId_RoundTrips(string id, string provider, string fileId)
    {
        Assert.True(RecordId.TryParse(id, out var p, out var f));
        Assert.Equal((provider, fileId), (p, f));
        Assert.Equal(id, RecordId.Format(p, f));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("ivo://other/records?sdo/x")]
    [InlineData("ivo://vso.broker/records?sdo/")]
    public void RecordId_RejectsForeignIds(string? id) => Assert.False(RecordId.TryParse(id, out _, out _));

    [Theory]
    [InlineData(null, 0)]
    [InlineData("L2", 2)]
    [InlineData("2", 2)]
    [InlineData("LL02", 2)]
    [InlineData("level 9", 3)]
    [InlineData("raw", 0)]
    public void CalibLevel_FromProviderLevels(string? level, int expected) => Assert.Equal(expected, RecordTables.CalibLevel(level));

    [Fact]
    public void TapSchema_DescribesEveryPublishedColumnOnce()
    {
        var metadata = TapMetadata.Default;
        var columns = metadata.TapSchemaRows(metadata.Find("TAP_SCHEMA.columns")!).ToList();
        Assert.Equal(metadata.Tables.Sum(t => t.Columns.Count), columns.Count);
        Assert.Contains(columns, r => (string)r[0]! == "TAP_SCHEMA.columns" && (string)r[1]! == "\"size\"");
        Assert.Equal(5, metadata.TapSchemaRows(metadata.Find("TAP_SCHEMA.keys")!).Count());
    }
}
