using System.Text;

namespace Broker.VoTable;

/// <summary>
/// Buffered UTF-8 (no BOM) output over a stream: rows are encoded synchronously into the buffer, which is
/// written and flushed asynchronously once it passes a threshold.
/// </summary>
internal sealed class Utf8Output
{
    private readonly Stream _stream;
    private readonly int _threshold;
    private byte[] _buffer;
    private int _pos;

    public Utf8Output(Stream stream, int threshold)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        if (!stream.CanWrite) throw new ArgumentException("The stream is not writable.", nameof(stream));
        _threshold = Math.Max(threshold, 1024);
        _buffer = new byte[_threshold + 4096];
    }

    public Span<byte> GetSpan(int sizeHint)
    {
        if (_buffer.Length - _pos < sizeHint) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _pos + sizeHint));
        return _buffer.AsSpan(_pos);
    }

    public void Advance(int count) => _pos += count;

    /// <summary>Current write position, for rolling back a partially written row.</summary>
    public int Mark => _pos;

    public void Reset(int mark) => _pos = mark;

    public void Raw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _pos += bytes.Length;
    }

    public void Byte(byte b)
    {
        GetSpan(1)[0] = b;
        _pos++;
    }

    /// <summary>Writes text as UTF-8 without escaping (lone surrogates become U+FFFD).</summary>
    public void Text(ReadOnlySpan<char> text)
    {
        var span = GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        _pos += Encoding.UTF8.GetBytes(text, span);
    }

    /// <summary>Writes XML-escaped text; characters not allowed in XML 1.0 are replaced by U+FFFD.</summary>
    public void Xml(ReadOnlySpan<char> text, bool attribute = false)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            ReadOnlySpan<byte> replacement;
            if (c >= 0x20 && c < 0x7F)
            {
                if (c == '&') replacement = "&amp;"u8;
                else if (c == '<') replacement = "&lt;"u8;
                else if (c == '>') replacement = "&gt;"u8;
                else if (c == '"' && attribute) replacement = "&quot;"u8;
                else continue;
            }
            else if (c == '\n') { if (!attribute) continue; replacement = "&#10;"u8; }
            else if (c == '\t') { if (!attribute) continue; replacement = "&#9;"u8; }
            else if (c == '\r') replacement = "&#13;"u8;
            else if (c < 0x20 || c == '\uFFFE' || c == '\uFFFF') replacement = "\uFFFD"u8;
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            else if (char.IsSurrogate(c)) replacement = "\uFFFD"u8;
            else continue;
            Text(text[start..i]);
            Raw(replacement);
            start = i + 1;
        }
        Text(text[start..]);
    }

    public bool ShouldFlush => _pos >= _threshold;

    public ValueTask FlushIfNeededAsync(CancellationToken cancellationToken) =>
        _pos >= _threshold ? FlushAsync(cancellationToken) : default;

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_pos > 0)
        {
            await _stream.WriteAsync(_buffer.AsMemory(0, _pos), cancellationToken).ConfigureAwait(false);
            _pos = 0;
        }
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
