using System.Buffers;
using System.Buffers.Text;

namespace Broker.VoTable;

/// <summary>
/// Decodes the base64 text of a BINARY/BINARY2 <c>STREAM</c> straight from UTF-8 input bytes (vectorized), instead
/// of through the XmlReader's char-by-char decoder. Only plain base64 and XML whitespace are handled; at anything
/// else (comments, CDATA, references, invalid characters) the caller hands the rest of the element to the XmlReader.
/// The input is only ever consumed up to a whole base64 quartet, so that hand-over is always exact.
/// </summary>
internal sealed class Base64StreamScanner(byte[] prefix)
{
    public enum Result
    {
        /// <summary>Decoded what was buffered (possibly nothing); more input is needed to go on.</summary>
        Progress,

        /// <summary>Decoded up to the STREAM end tag, which is next (not consumed).</summary>
        End,

        /// <summary>The text holds something the scanner leaves to the XmlReader (nothing more decoded).</summary>
        Fallback,
    }

    private static readonly SearchValues<byte> Whitespace = SearchValues.Create(" \t\r\n"u8);
    private readonly byte[] _streamClose = [.. "</"u8, .. prefix, .. "STREAM"u8];
    private readonly List<(int Scratch, int Input)> _runs = [];
    private const int MaxScratch = 80 * 1024;
    // Rented, as a reader is opened per provider answer: returned by Release when the stream ends or the reader is disposed.
    private byte[] _scratch = ArrayPool<byte>.Shared.Rent(16 * 1024);

    /// <summary>
    /// Decodes base64 from <paramref name="input"/> into <paramref name="output"/>. <paramref name="consumed"/> input
    /// bytes (whole quartets plus whitespace) and <paramref name="written"/> output bytes are reported for every
    /// result, including <see cref="Result.Fallback"/> (apply them, then let the XmlReader go on).
    /// </summary>
    public Result Decode(ReadOnlySpan<byte> input, Span<byte> output, bool endOfInput, out int consumed, out int written)
    {
        var stop = input.IndexOfAny((byte)'<', (byte)'&');
        var text = stop < 0 ? input : input[..stop];
        var atEnd = false;
        var leaveToXml = endOfInput && stop < 0; // truncated: the XmlReader reports it
        if (stop >= 0)
        {
            var rest = input[stop..];
            if (rest.Length > _streamClose.Length && rest.StartsWith(_streamClose))
            {
                atEnd = rest[_streamClose.Length] is (byte)'>' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
                leaveToXml = !atEnd;
            }
            else leaveToXml = endOfInput || rest.Length > _streamClose.Length || !_streamClose.AsSpan().StartsWith(rest);
        }

        // gather the non-whitespace characters (at most what fits into output), remembering where each run starts
        // (bounded so the scratch array stays below the large-object heap's 85,000 bytes: a larger one per answer
        // brought full garbage collections; the caller calls again for the rest)
        var capacity = Math.Min(output.Length / 3 * 4, MaxScratch);
        if (_scratch.Length < capacity)
        {
            Release();
            _scratch = ArrayPool<byte>.Shared.Rent(capacity);
        }
        _runs.Clear();
        int n = 0, p = 0;
        while (p < text.Length)
        {
            var ws = text[p..].IndexOfAnyExcept(Whitespace);
            if (ws < 0)
            {
                p = text.Length;
                break;
            }
            p += ws;
            var len = text[p..].IndexOfAny(Whitespace);
            if (len < 0) len = text.Length - p;
            if (n + len > capacity)
            {
                len = capacity - n;
                atEnd = false; // output is full: the end comes in a later call
            }
            _runs.Add((n, p));
            text.Slice(p, len).CopyTo(_scratch.AsSpan(n));
            n += len;
            p += len;
            if (n == capacity) break;
        }
        // Output full before the text ran out: the end tag is not next yet (decoding the gathered part as the final
        // block and skipping to the tag would drop the rest of the stream).
        if (p < text.Length && text[p..].IndexOfAnyExcept(Whitespace) >= 0) atEnd = false;
        var status = Base64.DecodeFromUtf8(_scratch.AsSpan(0, n), output, out var used, out written, isFinalBlock: atEnd);
        if (atEnd && status == OperationStatus.Done && used == n)
        {
            consumed = stop;
            return Result.End;
        }
        consumed = used == n ? p : InputPosition(used);
        if (leaveToXml || atEnd || status == OperationStatus.InvalidData) return Result.Fallback;
        return Result.Progress;
    }

    /// <summary>Gives the scratch array back to the pool; the scanner is not used afterwards.</summary>
    public void Release()
    {
        if (_scratch.Length > 0) ArrayPool<byte>.Shared.Return(_scratch);
        _scratch = [];
    }

    /// <summary>Input offset just after the <paramref name="chars"/>-th gathered character.</summary>
    private int InputPosition(int chars)
    {
        if (chars == 0) return 0;
        for (var i = _runs.Count - 1; i >= 0; i--)
        {
            var (scratch, input) = _runs[i];
            if (scratch < chars) return input + (chars - scratch);
        }
        return 0;
    }
}
