using Broker.VoTable;

namespace Broker.Bench;

/// <summary>The benchmark table: 8 mixed-type columns, deterministic values, every 10th row with nulls.</summary>
internal static class VoTableBenchData
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

    /// <summary>Writes a <paramref name="rows"/>-row table to <paramref name="path"/> with our VoTableWriter.</summary>
    public static async Task WriteFileAsync(string path, long rows, VoTableSerialization serialization, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: false);
        var writer = new VoTableWriter(file, Fields, serialization, new TableWriterOptions { FlushThresholdBytes = 1 << 20 });
        var row = new object?[Fields.Length];
        for (long i = 0; i < rows; i++)
        {
            FillRow(i, row);
            await writer.WriteRowAsync(row, ct).ConfigureAwait(false);
        }
        await writer.CompleteAsync(cancellationToken: ct).ConfigureAwait(false);
    }
}

/// <summary>
/// A non-seekable stream that produces the benchmark table on the fly in small batches, so that a very large
/// document can be read without ever existing in memory or on disk.
/// </summary>
internal sealed class GeneratedVoTableStream : Stream
{
    private readonly MemoryStream _chunk = new();
    private readonly VoTableWriter _writer;
    private readonly long _rows;
    private readonly object?[] _row = new object?[VoTableBenchData.Fields.Length];
    private long _next;
    private int _chunkPos;
    private bool _finished;

    public GeneratedVoTableStream(long rows, VoTableSerialization serialization)
    {
        _rows = rows;
        _writer = new VoTableWriter(_chunk, VoTableBenchData.Fields, serialization, new TableWriterOptions { FlushThresholdBytes = 16 * 1024 });
    }

    public long BytesProduced { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        while (_chunkPos == _chunk.Length && !_finished) Produce();
        var n = Math.Min((int)_chunk.Length - _chunkPos, buffer.Length);
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
            VoTableBenchData.FillRow(_next, _row);
            // the writer buffers into a MemoryStream, so its ValueTasks complete synchronously
            _writer.WriteRowAsync(_row).AsTask().GetAwaiter().GetResult();
        }
        if (_next >= _rows)
        {
            _writer.CompleteAsync().AsTask().GetAwaiter().GetResult();
            _finished = true;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        new(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
