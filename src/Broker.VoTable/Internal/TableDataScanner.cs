using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Broker.VoTable;

/// <summary>
/// Reads TABLEDATA rows straight from UTF-8 bytes, for the plain markup that real services write: <c>&lt;TR&gt;</c>,
/// <c>&lt;TD&gt;</c>, <c>&lt;TD/&gt;</c> (with the TABLEDATA element's prefix), text with the predefined entities and
/// character references, CDATA sections, and comments or whitespace between elements. Anything else (attributes,
/// nested elements, other entities, processing instructions, control characters, carriage returns inside a cell,
/// malformed bytes, a DOCTYPE…) ends the fast path at the start of that row: the row and everything after it is
/// left to the XmlReader, which accepts or rejects it exactly as it always did. A row is only consumed once it has
/// been read completely, so running out of buffered input never leaves a half-read row behind.
/// </summary>
internal sealed class TableDataScanner
{
    /// <summary>Outcome of <see cref="TryReadRow"/>.</summary>
    public enum Result
    {
        /// <summary>A row was read into the row array.</summary>
        Row,

        /// <summary>The TABLEDATA end tag is next (not consumed).</summary>
        End,

        /// <summary>More input is needed to read the next row (nothing consumed but whitespace and comments).</summary>
        NeedMore,

        /// <summary>The next row uses markup the scanner leaves to the XmlReader.</summary>
        Fallback,
    }

    private readonly ColumnSpec[] _columns;
    private readonly byte[] _trOpen, _trClose, _tdOpen, _tdClose, _tdEmpty, _tableDataClose;
    private char[] _cell = new char[256];
    private int _cellLen;

    public TableDataScanner(ColumnSpec[] columns, byte[] prefix)
    {
        _columns = columns;
        _trOpen = Tag("<", prefix, "TR>");
        _trClose = Tag("</", prefix, "TR>");
        _tdOpen = Tag("<", prefix, "TD>");
        _tdClose = Tag("</", prefix, "TD>");
        _tdEmpty = Tag("<", prefix, "TD/>");
        _tableDataClose = Tag("</", prefix, "TABLEDATA");
    }

    private static byte[] Tag(string open, byte[] prefix, string rest) =>
        [.. Encoding.ASCII.GetBytes(open), .. prefix, .. Encoding.ASCII.GetBytes(rest)];

    /// <summary>
    /// Reads the next row of <paramref name="data"/> into <paramref name="row"/>. <paramref name="consumed"/> is the
    /// number of bytes that may be dropped: the whole row for <see cref="Result.Row"/>, otherwise the whitespace and
    /// comments before the next row.
    /// </summary>
    public Result TryReadRow(ReadOnlySpan<byte> data, object?[] row, out int consumed)
    {
        consumed = 0;
        var p = 0;
        while (true)
        {
            p = SkipWhitespace(data, p);
            consumed = p;
            if (p == data.Length) return Result.NeedMore;
            if (data[p] != (byte)'<') return Result.Fallback;
            var rest = data[p..];
            if (rest.StartsWith(_trOpen))
            {
                p += _trOpen.Length;
                break;
            }
            if (rest.StartsWith("<!--"u8))
            {
                var skipped = SkipComment(data, p);
                if (skipped < 0) return skipped == NeedMoreMark ? Result.NeedMore : Result.Fallback;
                p = skipped;
                continue;
            }
            if (rest.Length > _tableDataClose.Length && rest.StartsWith(_tableDataClose))
                return rest[_tableDataClose.Length] is (byte)'>' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' ? Result.End : Result.Fallback;
            var undecided = Truncates(rest, _trOpen) || Truncates(rest, "<!--"u8)
                || (rest.Length <= _tableDataClose.Length && _tableDataClose.AsSpan().StartsWith(rest));
            return undecided ? Result.NeedMore : Result.Fallback;
        }

        Array.Clear(row);
        var col = 0;
        while (true)
        {
            p = SkipWhitespace(data, p);
            if (p == data.Length) return Result.NeedMore;
            if (data[p] != (byte)'<') return Result.Fallback;
            var rest = data[p..];
            if (rest.StartsWith(_tdOpen))
            {
                p = ReadCell(data, p + _tdOpen.Length);
                if (p < 0) return p == NeedMoreMark ? Result.NeedMore : Result.Fallback;
                if (col < _columns.Length && _cellLen > 0) row[col] = CellParser.Parse(_columns[col], _cell.AsSpan(0, _cellLen));
                col++;
            }
            else if (rest.StartsWith(_tdEmpty))
            {
                p += _tdEmpty.Length;
                col++;
            }
            else if (rest.StartsWith(_trClose))
            {
                consumed = p + _trClose.Length;
                return Result.Row;
            }
            else if (rest.StartsWith("<!--"u8))
            {
                p = SkipComment(data, p);
                if (p < 0) return p == NeedMoreMark ? Result.NeedMore : Result.Fallback;
            }
            else
            {
                var undecided = Truncates(rest, _tdOpen) || Truncates(rest, _tdEmpty) || Truncates(rest, _trClose) || Truncates(rest, "<!--"u8);
                return undecided ? Result.NeedMore : Result.Fallback;
            }
        }
    }

    private const int NeedMoreMark = -1, FallbackMark = -2;

    // bytes that need a closer look in text: control characters, and '>' (text must not contain "]]>")
    private static readonly SearchValues<byte> Unusual = SearchValues.Create([.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'>']);

    /// <summary>True when the buffered input ends inside what may still become <paramref name="tag"/>.</summary>
    private static bool Truncates(ReadOnlySpan<byte> rest, ReadOnlySpan<byte> tag) => rest.Length < tag.Length && tag.StartsWith(rest);

    private static int SkipWhitespace(ReadOnlySpan<byte> data, int p)
    {
        var n = data[p..].IndexOfAnyExcept(" \t\r\n"u8);
        return n < 0 ? data.Length : p + n;
    }

    /// <summary>Position after the comment at <paramref name="p"/>, or a mark; comments containing "--" are left to the XmlReader.</summary>
    private static int SkipComment(ReadOnlySpan<byte> data, int p)
    {
        var body = data[(p + 4)..];
        var dashes = body.IndexOf("--"u8);
        if (dashes < 0) return NeedMoreMark;
        if (dashes + 2 >= body.Length) return NeedMoreMark;
        return body[dashes + 2] == (byte)'>' ? p + 4 + dashes + 3 : FallbackMark;
    }

    /// <summary>Reads the content of a TD starting at <paramref name="p"/> into <see cref="_cell"/>; returns the position after &lt;/TD&gt; or a mark.</summary>
    private int ReadCell(ReadOnlySpan<byte> data, int p)
    {
        _cellLen = 0;
        var runStart = 0;      // start in _cell of the current text node
        var runHasRef = false; // the text node contains an entity or character reference
        while (true)
        {
            var stop = data[p..].IndexOfAny((byte)'<', (byte)'&');
            if (stop < 0) return NeedMoreMark;
            if (stop > 0 && !AppendText(data.Slice(p, stop), cdata: false)) return FallbackMark;
            p += stop;
            if (data[p] == (byte)'&')
            {
                var end = ReadReference(data, p);
                if (end < 0) return end;
                runHasRef = true;
                p = end;
                continue;
            }
            // end of a text node: XmlReader drops whitespace-only text nodes (IgnoreWhitespace)
            if (_cell.AsSpan(runStart, _cellLen - runStart).IndexOfAnyExcept(" \t\n\r") < 0)
            {
                if (runHasRef) return FallbackMark;
                _cellLen = runStart;
            }
            var rest = data[p..];
            if (rest.StartsWith(_tdClose)) return p + _tdClose.Length;
            if (rest.StartsWith("<![CDATA["u8))
            {
                var body = data[(p + 9)..];
                var close = body.IndexOf("]]>"u8);
                if (close < 0) return NeedMoreMark;
                if (close > 0 && !AppendText(body[..close], cdata: true)) return FallbackMark;
                p += 9 + close + 3;
                runStart = _cellLen;
                runHasRef = false;
                continue;
            }
            return Truncates(rest, _tdClose) || Truncates(rest, "<![CDATA["u8) ? NeedMoreMark : FallbackMark;
        }
    }

    /// <summary>Appends UTF-8 text; false for anything the XmlReader would treat differently (control characters,
    /// carriage returns, which XML normalizes, malformed UTF-8, U+FFFE/U+FFFF).</summary>
    private bool AppendText(ReadOnlySpan<byte> text, bool cdata)
    {
        if (text.IndexOfAny(Unusual) >= 0 && (HasForbiddenControl(text) || (!cdata && text.IndexOf("]]>"u8) >= 0))) return false;
        Reserve(text.Length);
        var status = Utf8.ToUtf16(text, _cell.AsSpan(_cellLen), out _, out var written, replaceInvalidSequences: false);
        if (status != OperationStatus.Done) return false;
        var added = _cell.AsSpan(_cellLen, written);
        _cellLen += written;
        return written == text.Length || added.IndexOfAny('\uFFFE', '\uFFFF') < 0;
    }

    private static bool HasForbiddenControl(ReadOnlySpan<byte> text)
    {
        foreach (var b in text)
            if (b < 0x20 && b != (byte)'\t' && b != (byte)'\n') return true;
        return false;
    }

    private void Reserve(int extra)
    {
        if (_cell.Length - _cellLen < extra) Array.Resize(ref _cell, Math.Max(_cell.Length * 2, _cellLen + extra));
    }

    /// <summary>Appends the reference at <paramref name="p"/> (predefined entity or valid character reference); returns the position after ';' or a mark.</summary>
    private int ReadReference(ReadOnlySpan<byte> data, int p)
    {
        var window = data.Slice(p + 1, Math.Min(12, data.Length - p - 1));
        var semi = window.IndexOf((byte)';');
        if (semi < 0) return window.Length < 12 ? NeedMoreMark : FallbackMark;
        var name = window[..semi];
        Reserve(2);
        char c;
        if (name.SequenceEqual("amp"u8)) c = '&';
        else if (name.SequenceEqual("lt"u8)) c = '<';
        else if (name.SequenceEqual("gt"u8)) c = '>';
        else if (name.SequenceEqual("quot"u8)) c = '"';
        else if (name.SequenceEqual("apos"u8)) c = '\'';
        else if (name.Length >= 2 && name[0] == (byte)'#')
        {
            if (!TryCharReference(name[1..], out var code)) return FallbackMark;
            if (code > 0xFFFF)
            {
                var r = new Rune(code);
                _cellLen += r.EncodeToUtf16(_cell.AsSpan(_cellLen));
                return p + semi + 2;
            }
            c = (char)code;
        }
        else return FallbackMark; // undeclared entity: the XmlReader reports the error
        _cell[_cellLen++] = c;
        return p + semi + 2;
    }

    private static bool TryCharReference(ReadOnlySpan<byte> digits, out int code)
    {
        code = 0;
        var hex = digits[0] == (byte)'x';
        if (hex) digits = digits[1..];
        if (digits.IsEmpty) return false;
        foreach (var b in digits)
        {
            int d;
            if (b is >= (byte)'0' and <= (byte)'9') d = b - '0';
            else if (hex && b is >= (byte)'a' and <= (byte)'f') d = b - 'a' + 10;
            else if (hex && b is >= (byte)'A' and <= (byte)'F') d = b - 'A' + 10;
            else return false;
            code = code * (hex ? 16 : 10) + d;
            if (code > 0x10FFFF) return false;
        }
        // the XML 1.0 Char production
        return code is 0x9 or 0xA or 0xD or (>= 0x20 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or (>= 0x10000 and <= 0x10FFFF);
    }
}
