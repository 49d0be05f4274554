using System.Text;

namespace Broker.VoTable;

/// <summary>
/// The stream the VOTable <see cref="System.Xml.XmlReader"/> reads from. While the header is parsed it hands out
/// input one markup piece at a time (up to and including the next <c>&gt;</c>), so that when the XmlReader reports
/// the TABLEDATA start tag it has not buffered any byte beyond it: the rows can then be scanned straight from the
/// prefetch buffer by <see cref="TableDataScanner"/>, and the XmlReader resumes at the first byte the scanner did not
/// take (the <c>&lt;/TABLEDATA&gt;</c> end tag, or a row the scanner leaves to it). After the header it is a plain
/// pass-through.
/// </summary>
internal sealed class XmlGateStream(PrefetchStream input) : ReadOnlyStream
{
    private bool _utf8 = true, _xmlSpace;
    private byte[] _lastTag = [];

    /// <summary>Hand out input up to the next '&gt;' only (header phase).</summary>
    public bool PieceAtATime { get; set; } = true;

    /// <summary>
    /// The qualified-name prefix (e.g. <c>"vot:"</c>, or empty) of the TABLEDATA start tag when the last piece handed
    /// out ended with that tag; null otherwise, or when the document is not UTF-8 or uses <c>xml:space</c> (which
    /// keeps whitespace-only text, unlike the scanner).
    /// </summary>
    public byte[]? TableDataPrefix => _xmlSpace ? null : LastStartTagPrefix("TABLEDATA"u8, allowAttributes: false);

    /// <summary>The prefix of the STREAM start tag when the last piece handed out ended with it (UTF-8 documents only).</summary>
    public byte[]? StreamPrefix => LastStartTagPrefix("STREAM"u8, allowAttributes: true);

    /// <summary>The scanner reads UTF-8 bytes, so it is only used when the document declares UTF-8 (or nothing).</summary>
    public void CheckEncoding(ReadOnlySpan<byte> prefix)
    {
        if (prefix.Length >= 2 && ((prefix[0] == 0xFE && prefix[1] == 0xFF) || (prefix[0] == 0xFF && prefix[1] == 0xFE) || prefix[0] == 0 || prefix[1] == 0))
        {
            _utf8 = false; // UTF-16/32
            return;
        }
        if (prefix.StartsWith("\uFEFF"u8)) prefix = prefix[3..];
        if (!prefix.StartsWith("<?xml"u8)) return;
        var end = prefix.IndexOf("?>"u8);
        var declaration = end < 0 ? prefix : prefix[..end];
        var at = declaration.IndexOf("encoding"u8);
        if (at < 0) return;
        var rest = declaration[(at + 8)..].TrimStart(" \t\r\n="u8).TrimStart("\"'"u8);
        var close = rest.IndexOfAny((byte)'"', (byte)'\'');
        var name = close < 0 ? rest : rest[..close];
        _utf8 = Ascii.EqualsIgnoreCase(name, "utf-8"u8) || Ascii.EqualsIgnoreCase(name, "utf8"u8);
    }

    public override int Read(Span<byte> buffer)
    {
        _lastTag = [];
        if (!PieceAtATime) return input.Read(buffer);
        var available = input.PeekSync();
        if (available.IsEmpty || buffer.IsEmpty) return 0;
        var limit = Math.Min(buffer.Length, available.Length);
        var gt = available[..limit].IndexOf((byte)'>');
        var n = gt < 0 ? limit : gt + 1;
        var piece = available[..n];
        if (piece.IndexOf("xml:space"u8) >= 0) _xmlSpace = true;
        if (_utf8 && gt >= 0)
        {
            var lt = piece.LastIndexOf((byte)'<');
            if (lt >= 0 && n - lt <= 512) _lastTag = piece[lt..].ToArray();
        }
        piece.CopyTo(buffer);
        input.Advance(n);
        return n;
    }

    /// <summary>The prefix when the last piece ended with a start tag <c>&lt;[prefix:]name …&gt;</c> (not empty-element).</summary>
    private byte[]? LastStartTagPrefix(ReadOnlySpan<byte> localName, bool allowAttributes)
    {
        var tag = _lastTag.AsSpan();
        if (tag.Length < 3 || tag[^2] == (byte)'/') return null;
        var body = tag[1..^1];
        var nameEnd = body.IndexOfAny(" \t\r\n"u8);
        if (nameEnd >= 0 && !allowAttributes && body[nameEnd..].IndexOfAnyExcept(" \t\r\n"u8) >= 0) return null;
        var name = nameEnd < 0 ? body : body[..nameEnd];
        if (!name.EndsWith(localName)) return null;
        var prefix = name[..^localName.Length];
        if (prefix.IsEmpty) return [];
        if (prefix.Length < 2 || prefix[^1] != (byte)':' || prefix[..^1].IndexOfAny(":/!?\"'=<"u8) >= 0) return null;
        return prefix.ToArray();
    }
}
