using Broker.VoTable.Tests.Helpers;

namespace Broker.VoTable.Tests.VoTable;

/// <summary>
/// The binary reader hands out one object for a value a column repeats row after row (less garbage per answer), and
/// never a stale one: every value read is the value written, also after a column stops being compared.
/// </summary>
public class VoTableRepeatedValuesTests
{
    private static readonly TableField[] Fields =
    [
        new("instrument", "char", Arraysize: "*"),
        new("file_id", "char", Arraysize: "*"),
        new("em_min", "double"),
        new("t_min", "double"),
    ];

    [Theory]
    [InlineData(VoTableSerialization.Binary)]
    [InlineData(VoTableSerialization.Binary2)]
    public async Task RepeatedValuesAreOneObject_UniqueValuesStayExact(VoTableSerialization serialization)
    {
        // Instruments change in runs of 50, wavelengths every 7 rows: both repeat; file ids and times never do.
        var rows = Enumerable.Range(0, 500).Select(i => new object?[]
        {
            i < 250 ? "AIA" : "HMI", $"file-{i:D5}", i / 7 % 2 == 0 ? 1.71e-8 : 1.93e-8, 59000.0 + i / 1000.0,
        }).ToArray();
        var bytes = await TableIo.WriteVoTableAsync(Fields, rows, serialization);

        var (_, read) = await TableIo.ReadVoTableAsync(bytes);

        Assert.Equal(rows.Length, read.Count);
        for (var r = 0; r < rows.Length; r++) RowAssert.Equal(rows[r], read[r], $"row {r}");
        Assert.Same(read[0][0], read[249][0]);
        Assert.Same(read[250][0], read[499][0]);
        Assert.Same(read[0][2], read[6][2]);
        Assert.NotSame(read[0][1], read[1][1]);
    }
}
