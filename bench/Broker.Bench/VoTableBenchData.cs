using Broker.VoTable;
using Broker.VoTable.Tests.Helpers;

namespace Broker.Bench;

/// <summary>
/// The benchmark table is <see cref="GeneratedVoTableStream"/>'s (8 mixed-type columns, deterministic values, every
/// 10th row with nulls), compiled in from the VOTable tests so tests and benchmarks read the same data.
/// </summary>
internal static class VoTableBenchData
{
    /// <summary>Writes a <paramref name="rows"/>-row table to <paramref name="path"/> with our VoTableWriter.</summary>
    public static async Task WriteFileAsync(string path, long rows, VoTableSerialization serialization, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: false);
        var writer = new VoTableWriter(file, GeneratedVoTableStream.Fields, serialization, new TableWriterOptions { FlushThresholdBytes = 1 << 20 });
        var row = new object?[GeneratedVoTableStream.Fields.Length];
        for (long i = 0; i < rows; i++)
        {
            GeneratedVoTableStream.FillRow(i, row);
            await writer.WriteRowAsync(row, ct).ConfigureAwait(false);
        }
        await writer.CompleteAsync(cancellationToken: ct).ConfigureAwait(false);
    }
}
