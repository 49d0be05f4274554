namespace Broker.VoTable.Tests.Helpers;

/// <summary>A read-only, non-seekable stream that returns data in small, irregular chunks (like a network).</summary>
internal sealed class NonSeekableStream(byte[] data, int maxChunk = 1000) : ReadOnlyStream
{
    private int _pos;
    private int _turn;

    public override int Read(Span<byte> buffer)
    {
        var n = Math.Min(Math.Min(buffer.Length, data.Length - _pos), 1 + (_turn++ * 7919) % maxChunk);
        data.AsSpan(_pos, n).CopyTo(buffer);
        _pos += n;
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return Read(buffer.Span);
    }
}
