using Broker.VoTable;

namespace Broker.VoTable.Tests.Helpers;

/// <summary>
/// A non-seekable stream that generates an 8-column VOTable of <c>rows</c> rows on the fly, in small batches,
/// so arbitrarily large documents can be produced in bounded memory. The one generator for tests and benchmarks:
/// bench/Broker.Bench compiles this file in (its table files are written from <see cref="Fields"/> and
/// <see cref="FillRow"/> too).
/// </summary>
internal sealed class GeneratedVoTableStream : ReadOnlyStream
{
    public static readonly TableField[] Fields =
    [
        new("id", "long"),
        new("ra", "double", Unit: "deg", Ucd: "pos.eq.ra"),
        new("dec", "double", Unit: "deg", Ucd: "pos.eq.dec"),
        new("mag", "float"),
        new("flag", "int"),
        new("obs_time", "char", "*", Xtype: "timestamp"),
        new("name", "char", "*"),
        new("good", "boolean"),
    ];

    private static readonly DateTime Epoch = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly MemoryStream _chunk = new();
    private readonly VoTableWriter _writer;
    private readonly long _rows;
    private readonly object?[] _row = new object?[Fields.Length];
    private long _next;
    private int _chunkPos;
    private bool _finished;

    public GeneratedVoTableStream(long rows, VoTableSerialization serialization)
    {
        _rows = rows;
        _writer = new VoTableWriter(_chunk, Fields, serialization, new TableWriterOptions { FlushThresholdBytes = 16 * 1024 });
    }

    public long BytesProduced { get; private set; }

    /// <summary>The values of row <paramref name="i"/> (every 10th row has nulls).</summary>
    public static void FillRow(long i, object?[] row)
    {
        row[0] = i;
        row[1] = (i * 0.001) % 360.0;
        row[2] = ((i * 0.0007) % 180.0) - 90.0;
        row[3] = i % 10 == 0 ? null : (double)(float)(10 + (i % 1000) / 100.0);
        row[4] = i % 10 == 0 ? null : (long)(i % 7);
        row[5] = Epoch.AddSeconds(i * 1.5);
        row[6] = "obj_" + i;
        row[7] = i % 10 == 0 ? null : i % 2 == 0;
    }

    public override int Read(Span<byte> buffer)
    {
        while (_chunkPos == _chunk.Length && !_finished) Produce();
        var available = (int)_chunk.Length - _chunkPos;
        var n = Math.Min(available, buffer.Length);
        _chunk.GetBuffer().AsSpan(_chunkPos, n).CopyTo(buffer);
        _chunkPos += n;
        BytesProduced += n;
        return n;
    }

    private void Produce()
    {
        _chunk.SetLength(0);
        _chunkPos = 0;
        for (var k = 0; k < 1000 && _next < _rows; k++, _next++)
        {
            FillRow(_next, _row);
            // the writer buffers into a MemoryStream, so its ValueTasks complete synchronously
            _writer.WriteRowAsync(_row).AsTask().GetAwaiter().GetResult();
        }
        if (_next >= _rows)
        {
            _writer.CompleteAsync().AsTask().GetAwaiter().GetResult();
            _finished = true;
        }
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        new(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));
}
