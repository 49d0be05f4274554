using System.Text;

namespace Broker.VoTable;

/// <summary>
/// Hands out the previous row's object when a column repeats its value, so a stream of rows does not allocate the
/// same instrument name, collection or wavelength (a boxed double) again for every row. Result tables repeat most of
/// their columns (a 1,000-row answer of one provider has a handful of distinct instruments), and the strings and boxes
/// of the VOTable reader were the largest share of a federated search's allocations (scripts/bench.sh fanout).
/// A column whose values rarely repeat (file ids, times) stops being compared after a short trial.
/// </summary>
internal sealed class RepeatedValues
{
    private const int Trial = 64, MaxBytes = 256;

    private readonly Column[] _columns;

    public RepeatedValues(int columns)
    {
        _columns = new Column[columns];
        for (var i = 0; i < columns; i++) _columns[i] = new Column();
    }

    /// <summary>The previous row's string when <paramref name="utf8"/> is the same text, else a new one.</summary>
    public string Text(int column, ReadOnlySpan<byte> utf8)
    {
        var c = _columns[column];
        if (!c.Worth || utf8.Length > MaxBytes) return Encoding.UTF8.GetString(utf8);
        if (c.Text is { } last && utf8.SequenceEqual(c.Bytes.AsSpan(0, c.Length)))
        {
            c.Hit();
            return last;
        }
        var text = Encoding.UTF8.GetString(utf8);
        c.Miss();
        if (c.Bytes.Length < utf8.Length) c.Bytes = new byte[Math.Max(utf8.Length, 32)];
        utf8.CopyTo(c.Bytes);
        c.Length = utf8.Length;
        c.Text = text;
        return text;
    }

    /// <summary>The previous row's box when <paramref name="value"/> is the same double (bit for bit), else a new one.</summary>
    public object Double(int column, double value)
    {
        var c = _columns[column];
        if (!c.Worth) return value;
        var bits = BitConverter.DoubleToInt64Bits(value);
        if (c.Box is { } last && c.Bits == bits)
        {
            c.Hit();
            return last;
        }
        c.Miss();
        c.Bits = bits;
        return c.Box = value;
    }

    private sealed class Column
    {
        private int _seen, _hits;
        public byte[] Bytes = [];
        public int Length;
        public string? Text;
        public long Bits;
        public object? Box;

        /// <summary>True during the trial and afterwards while at least a quarter of the values repeated.</summary>
        public bool Worth => _seen < Trial || _hits * 4 >= _seen;

        public void Hit()
        {
            _seen++;
            _hits++;
        }

        public void Miss() => _seen++;
    }
}
