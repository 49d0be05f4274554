using System.Collections;
using System.Globalization;

namespace Broker.VoTable;

/// <summary>Coerces caller-supplied CLR values to what a column's datatype needs when writing.</summary>
internal static class ValueConverter
{
    public static long ToInt64(ColumnSpec c, object value) => value switch
    {
        _ when WidenToInt64(value) is { } n => n,
        ulong ul => checked((long)ul),
        bool bo => bo ? 1 : 0,
        double d when d == Math.Floor(d) && !double.IsInfinity(d) => checked((long)d),
        float f when f == MathF.Floor(f) && !float.IsInfinity(f) => checked((long)f),
        decimal m when m == decimal.Floor(m) => (long)m,
        string str when CellParser.TryParseInteger(str.AsSpan().Trim(), out var p) => p,
        _ => throw Mismatch(c, value),
    };

    public static double ToDouble(ColumnSpec c, object value) => value switch
    {
        double d => d,
        float f => f,
        _ when WidenToInt64(value) is { } n => n,
        ulong ul => ul,
        decimal m => (double)m,
        string str => CellParser.ParseDouble(c, str.AsSpan().Trim()),
        _ => throw Mismatch(c, value),
    };

    /// <summary>The value of the integer types that always fit in a <see cref="long"/> (all but <see cref="ulong"/>).</summary>
    private static long? WidenToInt64(object value) => value switch
    {
        long l => l,
        int i => i,
        short s => s,
        byte b => b,
        sbyte sb => sb,
        ushort us => us,
        uint ui => ui,
        _ => null,
    };

    public static bool ToBool(ColumnSpec c, object value) => value switch
    {
        bool b => b,
        string s when CellParser.ParseBool(s.AsSpan().Trim()) is { } p => p,
        long or int or short or byte => Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0,
        _ => throw Mismatch(c, value),
    };

    public static string ToText(object value) => value switch
    {
        string s => s,
        DateTime dt => Timestamps.ToText(dt),
        DateTimeOffset dto => Timestamps.ToText(dto.UtcDateTime),
        char ch => ch.ToString(),
        char[] chars => new string(chars),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>Elements of an array cell (a scalar is treated as a one-element array).</summary>
    public static IList AsList(object value) => value switch
    {
        string s => new object[] { s },
        IList list => list,
        IEnumerable e => e.Cast<object?>().ToList(),
        _ => new[] { value },
    };

    public static ArgumentException Mismatch(ColumnSpec c, object value) =>
        new($"Column '{c.Name}' ({c.Field.Datatype}) cannot hold a value of type {value.GetType().Name}: '{value}'.");
}
