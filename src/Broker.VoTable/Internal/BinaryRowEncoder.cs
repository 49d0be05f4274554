using System.Buffers.Binary;
using System.Collections;
using System.Text;

namespace Broker.VoTable;

/// <summary>Encodes rows in big-endian VOTable BINARY / BINARY2 layout into a growable byte buffer.</summary>
internal sealed class BinaryRowEncoder
{
    private readonly ColumnSpec[] _columns;
    private readonly bool _binary2;
    private readonly int _flagBytes;
    private byte[] _buffer = new byte[4096];
    private int _len;

    public BinaryRowEncoder(ColumnSpec[] columns, bool binary2)
    {
        _columns = columns;
        _binary2 = binary2;
        _flagBytes = binary2 ? (columns.Length + 7) / 8 : 0;
    }

    /// <summary>Bytes encoded and not yet taken.</summary>
    public ReadOnlySpan<byte> Pending => _buffer.AsSpan(0, _len);

    /// <summary>Drops the first <paramref name="count"/> pending bytes.</summary>
    public void Consume(int count)
    {
        Buffer.BlockCopy(_buffer, count, _buffer, 0, _len - count);
        _len -= count;
    }

    public void EncodeRow(IReadOnlyList<object?> row)
    {
        if (row.Count != _columns.Length)
            throw new ArgumentException($"Row has {row.Count} values but the table has {_columns.Length} columns.", nameof(row));
        var start = _len;
        var flags = Take(_flagBytes);
        flags.Clear();
        try
        {
            for (var i = 0; i < _columns.Length; i++)
            {
                var v = row[i];
                if (v is null && _binary2) _buffer[start + (i >> 3)] |= (byte)(0x80 >> (i & 7));
                EncodeCell(_columns[i], v);
            }
        }
        catch
        {
            _len = start; // keep the stream consistent: a failed row is not written
            throw;
        }
    }

    private Span<byte> Take(int n)
    {
        if (_buffer.Length - _len < n) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _len + n));
        var s = _buffer.AsSpan(_len, n);
        _len += n;
        return s;
    }

    private void WriteCount(int n) => BinaryPrimitives.WriteInt32BigEndian(Take(4), n);

    private void EncodeCell(ColumnSpec c, object? v)
    {
        if (c.IsString) EncodeString(c, v);
        else if (c.IsArray) EncodeArray(c, v);
        else EncodeScalar(c, v);
    }

    private void EncodeString(ColumnSpec c, object? v)
    {
        var text = v is null ? string.Empty : ValueConverter.ToText(v);
        if (c.Kind == ColumnKind.Char)
        {
            var max = c.IsVariable ? int.MaxValue : c.FixedCount;
            var chars = text.AsSpan();
            var byteCount = Encoding.UTF8.GetByteCount(chars);
            while (byteCount > max)
            {
                // truncate on a character boundary
                chars = chars[..(chars.Length - (chars.Length >= 2 && char.IsLowSurrogate(chars[^1]) ? 2 : 1))];
                byteCount = Encoding.UTF8.GetByteCount(chars);
            }
            if (c.IsVariable) WriteCount(byteCount);
            var dest = Take(c.IsVariable ? byteCount : max);
            var written = Encoding.UTF8.GetBytes(chars, dest);
            dest[written..].Clear();
        }
        else
        {
            var chars = text.AsSpan();
            if (!c.IsVariable && chars.Length > c.FixedCount) chars = chars[..c.FixedCount];
            var n = c.IsVariable ? chars.Length : c.FixedCount;
            if (c.IsVariable) WriteCount(n);
            var dest = Take(2 * n);
            dest.Clear();
            for (var i = 0; i < chars.Length; i++) BinaryPrimitives.WriteUInt16BigEndian(dest[(2 * i)..], chars[i]);
        }
    }

    // A scalar column (no arraysize, or arraysize="1") holds exactly one element.
    private void EncodeScalar(ColumnSpec c, object? v) => EncodeElement(c, v);

    private void EncodeArray(ColumnSpec c, object? v)
    {
        var list = v is null ? (IList)Array.Empty<object>() : ValueConverter.AsList(v);
        var perElement = c.IsComplex ? 2 : 1;
        int count;
        if (c.IsVariable)
        {
            count = list.Count / perElement;
            WriteCount(count);
        }
        else count = c.FixedCount;
        if (c.Kind == ColumnKind.Bit)
        {
            var bytes = Take((count + 7) / 8);
            bytes.Clear();
            for (var i = 0; i < count && i < list.Count; i++)
                if (list[i] is { } b && ValueConverter.ToBool(c, b)) bytes[i >> 3] |= (byte)(0x80 >> (i & 7));
            return;
        }
        var total = count * perElement;
        for (var i = 0; i < total; i++) EncodeElement(c, i < list.Count ? list[i] : null);
    }

    private void EncodeElement(ColumnSpec c, object? v)
    {
        switch (c.Kind)
        {
            case ColumnKind.Boolean:
                Take(1)[0] = v is null ? (byte)'?' : ValueConverter.ToBool(c, v) ? (byte)'T' : (byte)'F';
                return;
            case ColumnKind.Bit:
                Take(1)[0] = v is not null && ValueConverter.ToBool(c, v) ? (byte)0x80 : (byte)0;
                return;
            case ColumnKind.Float:
            case ColumnKind.FloatComplex:
                BinaryPrimitives.WriteSingleBigEndian(Take(4), v is null ? float.NaN : (float)ValueConverter.ToDouble(c, v));
                return;
            case ColumnKind.Double:
            case ColumnKind.DoubleComplex:
                BinaryPrimitives.WriteDoubleBigEndian(Take(8), v is null ? double.NaN : ValueConverter.ToDouble(c, v));
                return;
        }
        var l = v is null ? c.NullInteger ?? 0 : ValueConverter.ToInt64(c, v);
        switch (c.Kind)
        {
            case ColumnKind.UnsignedByte:
                Take(1)[0] = checked((byte)l);
                return;
            case ColumnKind.Short:
                BinaryPrimitives.WriteInt16BigEndian(Take(2), checked((short)l));
                return;
            case ColumnKind.Int:
                BinaryPrimitives.WriteInt32BigEndian(Take(4), checked((int)l));
                return;
            default:
                BinaryPrimitives.WriteInt64BigEndian(Take(8), l);
                return;
        }
    }
}
