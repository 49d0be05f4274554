using System.Buffers;

namespace Broker.VoTable;

/// <summary>
/// Read-only buffering stream that is filled asynchronously ahead of synchronous consumers (XmlReader),
/// so that parsing can run synchronously without blocking on I/O in the common case. It also allows
/// peeking at the first bytes for format sniffing. If a synchronous read finds the buffer empty it falls
/// back to waiting on an asynchronous read (rare: only for rows larger than the prefetch window).
/// The window is rented from the shared array pool and returned on <see cref="Stream.Dispose()"/>: a new 256 KiB array
/// per provider answer lands on the large-object heap, and its churn forced full garbage collections under load
/// (scripts/bench.sh fanout). Disposing never closes the inner stream.
/// </summary>
internal sealed class PrefetchStream : ReadOnlyStream
{
    public const int DefaultCapacity = 256 * 1024;
    public const int DefaultLowWater = 96 * 1024;

    private readonly Stream _inner;
    private byte[] _buffer;
    private int _pos;
    private int _len;
    private bool _eof;

    public PrefetchStream(Stream inner, int capacity = DefaultCapacity)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _buffer = ArrayPool<byte>.Shared.Rent(capacity);
    }

    public int Available => _len - _pos;
    public bool IsEndOfInput => _eof;
    public ReadOnlySpan<byte> Buffered => _buffer.AsSpan(_pos, _len - _pos);
    public CancellationToken CancellationToken { get; set; }

    /// <summary>True when fewer than <paramref name="lowWater"/> bytes are buffered and more input may exist.</summary>
    public bool NeedsFill(int lowWater = DefaultLowWater) => !_eof && _len - _pos < lowWater;

    /// <summary>Reads until at least <paramref name="target"/> bytes are buffered, the buffer is full or input ends.</summary>
    public async ValueTask FillAsync(int target, CancellationToken cancellationToken)
    {
        if (_eof || _len - _pos >= target) return;
        if (target > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(target, _buffer.Length * 2));
            Buffer.BlockCopy(_buffer, _pos, bigger, 0, _len - _pos);
            _len -= _pos;
            _pos = 0;
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        else if (_pos > 0)
        {
            Buffer.BlockCopy(_buffer, _pos, _buffer, 0, _len - _pos);
            _len -= _pos;
            _pos = 0;
        }
        while (!_eof && _len - _pos < target && _len < _buffer.Length)
        {
            var n = await _inner.ReadAsync(_buffer.AsMemory(_len), cancellationToken).ConfigureAwait(false);
            if (n == 0) _eof = true;
            else _len += n;
        }
    }

    public ValueTask FillAsync(CancellationToken cancellationToken) => FillAsync(_buffer.Length, cancellationToken);

    /// <summary>Drops <paramref name="count"/> buffered bytes that a caller consumed from <see cref="Buffered"/>.</summary>
    public void Advance(int count)
    {
        if ((uint)count > (uint)(_len - _pos)) throw new ArgumentOutOfRangeException(nameof(count));
        _pos += count;
    }

    /// <summary>The buffered bytes, waiting for at least one if none are buffered (empty only at the end of input).</summary>
    public ReadOnlySpan<byte> PeekSync()
    {
        if (_pos == _len && !_eof) FillAsync(1, CancellationToken).AsTask().GetAwaiter().GetResult();
        return Buffered;
    }

    public override int Read(Span<byte> buffer)
    {
        if (_pos == _len)
        {
            if (_eof || buffer.IsEmpty) return 0;
            FillAsync(1, CancellationToken).AsTask().GetAwaiter().GetResult();
            if (_pos == _len) return 0;
        }
        var n = Math.Min(buffer.Length, _len - _pos);
        _buffer.AsSpan(_pos, n).CopyTo(buffer);
        _pos += n;
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_pos == _len)
        {
            if (_eof || buffer.IsEmpty) return 0;
            await FillAsync(1, cancellationToken).ConfigureAwait(false);
            if (_pos == _len) return 0;
        }
        var n = Math.Min(buffer.Length, _len - _pos);
        _buffer.AsMemory(_pos, n).CopyTo(buffer);
        _pos += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Returns the window to the pool (once); later reads see the end of input.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _buffer, []) is { Length: > 0 } rented)
        {
            _pos = _len = 0;
            _eof = true;
            ArrayPool<byte>.Shared.Return(rented);
        }
        base.Dispose(disposing);
    }
}
