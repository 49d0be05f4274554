using Broker.VoTable.Tests.Helpers;

namespace Broker.VoTable.Tests.VoTable;

public class VoTableStreamingTests
{
    [Theory]
    [InlineData(VoTableSerialization.TableData)]
    [InlineData(VoTableSerialization.Binary2)]
    public async Task ReadAsync_MillionRowNonSeekableStream_StaysWithinMemoryBound(VoTableSerialization serialization)
    {
        const long rows = 1_000_000;
        const long bound = 200L * 1024 * 1024;
        var source = new GeneratedVoTableStream(rows, serialization);
        Assert.False(source.CanSeek);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0, count = 0, idSum = 0;

        await using var reader = await VoTableReader.OpenAsync(source);
        while (await reader.ReadAsync())
        {
            idSum += (long)reader.Current[0]!;
            if (++count % 20_000 == 0) peak = Math.Max(peak, GC.GetTotalMemory(false) - baseline);
        }

        Assert.Equal(rows, count);
        Assert.Equal(rows * (rows - 1) / 2, idSum);
        Assert.True(source.BytesProduced > bound / 4, $"the document should be large ({source.BytesProduced} bytes)");
        Assert.True(peak < bound, $"managed heap grew by {peak / (1024 * 1024)} MB while streaming");
        Assert.Equal("OK", reader.QueryStatus);
    }

    [Fact]
    public async Task ReadAsync_TableDataAndBinary2OfSameTable_YieldIdenticalRows()
    {
        const int rows = 5_000;
        await using var td = await VoTableReader.OpenAsync(new GeneratedVoTableStream(rows, VoTableSerialization.TableData));
        await using var b2 = await VoTableReader.OpenAsync(new GeneratedVoTableStream(rows, VoTableSerialization.Binary2));
        Assert.Equal(td.Fields, b2.Fields);
        var n = 0;
        var expected = new object?[8];
        while (await td.ReadAsync())
        {
            Assert.True(await b2.ReadAsync());
            Assert.Equal(td.Current, b2.Current);
            GeneratedVoTableStream.FillRow(n, expected);
            RowAssert.Equal(expected, td.Current, $"row {n}");
            n++;
        }
        Assert.False(await b2.ReadAsync());
        Assert.Equal(rows, n);
    }
}
