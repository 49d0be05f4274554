using System.Buffers.Binary;
using System.Text;

namespace Broker.VoTable;

/// <summary>Decodes big-endian VOTable BINARY / BINARY2 rows from a byte span.</summary>
internal sealed class BinaryRowDecoder
{
    private readonly ColumnSpec[] _columns;
    private readonly bool _binary2;
    private readonly int _flagBytes;
    private readonly RepeatedValues _repeated;

    public BinaryRowDecoder(ColumnSpec[] columns, bool binary2)
    {
        _columns = columns;
        _binary2 = binary2;
        _flagBytes = binary2 ? (columns.Length + 7) / 8 : 0;
        _repeated = new RepeatedValues(columns.Length);
    }

    /// <summary>Decodes one row; returns false (without consuming) when <paramref name="data"/> holds less than a row.</summary>
    public bool TryDecodeRow(ReadOnlySpan<byte> data, object?[] row, out int consumed)
    {
        consumed = 0;
        if (data.Length < _flagBytes) return false;
        var flags = data[.._flagBytes];
        var p = _flagBytes;
        for (var i = 0; i < _columns.Length; i++)
        {
            var isNull = _binary2 && (flags[i >> 3] & (0x80 >> (i & 7))) != 0;
            if (!TryDecodeCell(i, data, ref p, isNull, out row[i])) return false;
        }
        consumed = p;
        return true;
    }

    private bool TryDecodeCell(int column, ReadOnlySpan<byte> data, ref int p, bool isNull, out object? value)
    {
        var c = _columns[column];
        value = null;
        var count = c.FixedCount;
        if (c.IsVariable)
        {
            if (p + 4 > data.Length) return false;
            count = BinaryPrimitives.ReadInt32BigEndian(data[p..]);
            if (count < 0) throw new TableFormatException($"Column '{c.Name}': negative array length {count} in binary stream.");
            p += 4;
        }
        var size = c.Kind == ColumnKind.Bit ? (count + 7) / 8 : (long)count * c.ElementSize;
        if (p + size > data.Length) return false;
        var s = data.Slice(p, (int)size);
        p += (int)size;
        if (!isNull) value = Decode(column, c, s, count);
        return true;
    }

    private object? Decode(int column, ColumnSpec c, ReadOnlySpan<byte> s, int count)
    {
        if (c.IsString) return DecodeString(column, c, s, count);
        if (c.IsArray) return _binary2 ? DecodeArray(c, s, count) : NullIfAllNull(c, DecodeArray(c, s, count));
        if (count == 0) return null;
        switch (c.Kind)
        {
            case ColumnKind.Boolean:
                return DecodeBool(s[0]) is { } b ? Boxes.Bool(b) : null;
            case ColumnKind.Bit:
                return Boxes.Bool((s[0] & 0x80) != 0);
            case ColumnKind.Float:
                {
                    double d = BinaryPrimitives.ReadSingleBigEndian(s);
                    return double.IsNaN(d) || c.NullFloat == d ? null : _repeated.Double(column, d);
                }
            case ColumnKind.Double:
                {
                    var d = BinaryPrimitives.ReadDoubleBigEndian(s);
                    return double.IsNaN(d) || c.NullFloat == d ? null : _repeated.Double(column, d);
                }
            default:
                {
                    var l = ReadInteger(c.Kind, s);
                    return c.NullInteger == l ? null : Boxes.Long(l);
                }
        }
    }

    private static long ReadInteger(ColumnKind kind, ReadOnlySpan<byte> s) => kind switch
    {
        ColumnKind.UnsignedByte => s[0],
        ColumnKind.Short => BinaryPrimitives.ReadInt16BigEndian(s),
        ColumnKind.Int => BinaryPrimitives.ReadInt32BigEndian(s),
        _ => BinaryPrimitives.ReadInt64BigEndian(s),
    };

    private static bool? DecodeBool(byte b) => b switch
    {
        (byte)'T' or (byte)'t' or (byte)'1' or 1 => true,
        (byte)'F' or (byte)'f' or (byte)'0' => false,
        _ => null,
    };

    private object? DecodeString(int column, ColumnSpec c, ReadOnlySpan<byte> s, int count)
    {
        string text;
        if (c.Kind == ColumnKind.Char)
        {
            var nul = s.IndexOf((byte)0);
            if (nul >= 0) s = s[..nul];
            if (!c.IsVariable) s = s.TrimEnd((byte)' ');
            if (c.IsTimestamp && TryTimestamp(c, s) is { } ts) return ts;
            text = s.IsEmpty ? string.Empty : _repeated.Text(column, s);
        }
        else
        {
            var chars = new char[count];
            for (var i = 0; i < count; i++) chars[i] = (char)BinaryPrimitives.ReadUInt16BigEndian(s[(2 * i)..]);
            ReadOnlySpan<char> span = chars;
            var nul = span.IndexOf('\0');
            if (nul >= 0) span = span[..nul];
            if (!c.IsVariable) span = span.TrimEnd(' ');
            text = new string(span);
        }
        if (text.Length == 0) return _binary2 ? string.Empty : null;
        if (c.NullText == text) return null;
        if (c.IsTimestamp && Timestamps.TryParse(text, out var dt)) return dt;
        return text;
    }

    /// <summary>A timestamp parsed without allocating its text; null when the slow path must decide (empty, null
    /// marker, not a timestamp, long or non-ASCII text).</summary>
    private static object? TryTimestamp(ColumnSpec c, ReadOnlySpan<byte> s)
    {
        if (s.IsEmpty || s.Length > 48 || !Ascii.IsValid(s)) return null;
        Span<char> chars = stackalloc char[48];
        Ascii.ToUtf16(s, chars, out var n);
        ReadOnlySpan<char> text = chars[..n];
        if (c.NullText is { } nt && text.SequenceEqual(nt)) return null;
        return Timestamps.TryParse(text, out var dt) ? dt : null;
    }

    /// <summary>BINARY has no null flags: an empty array, or one whose elements are all null markers, is null.</summary>
    private static object? NullIfAllNull(ColumnSpec c, object array)
    {
        switch (array)
        {
            case double[] d:
                return Array.TrueForAll(d, double.IsNaN) ? null : d;
            case long[] l:
                return l.Length == 0 || (c.NullInteger is { } n && Array.TrueForAll(l, x => x == n)) ? null : l;
            case bool[] b:
                return b.Length == 0 ? null : b;
            default:
                return array;
        }
    }

    private static object DecodeArray(ColumnSpec c, ReadOnlySpan<byte> s, int count)
    {
        switch (c.Kind)
        {
            case ColumnKind.Bit:
                {
                    var a = new bool[count];
                    for (var i = 0; i < count; i++) a[i] = (s[i >> 3] & (0x80 >> (i & 7))) != 0;
                    return a;
                }
            case ColumnKind.Boolean:
                {
                    var a = new bool[count];
                    for (var i = 0; i < count; i++) a[i] = DecodeBool(s[i]) ?? false;
                    return a;
                }
            case ColumnKind.Float:
            case ColumnKind.FloatComplex:
                {
                    var a = new double[s.Length / 4];
                    for (var i = 0; i < a.Length; i++) a[i] = BinaryPrimitives.ReadSingleBigEndian(s[(4 * i)..]);
                    return a;
                }
            case ColumnKind.Double:
            case ColumnKind.DoubleComplex:
                {
                    var a = new double[s.Length / 8];
                    for (var i = 0; i < a.Length; i++) a[i] = BinaryPrimitives.ReadDoubleBigEndian(s[(8 * i)..]);
                    return a;
                }
            default:
                {
                    var a = new long[count];
                    for (var i = 0; i < count; i++) a[i] = ReadInteger(c.Kind, s[(i * c.ElementSize)..]);
                    return a;
                }
        }
    }
}
