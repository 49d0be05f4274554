using System.Globalization;

namespace Broker.VoTable;

/// <summary>Parses the text form of a cell (TABLEDATA, CSV, JSON strings) into its typed value.</summary>
internal static class CellParser
{
    /// <summary>Parses <paramref name="text"/>; empty text is null except for strings when <paramref name="emptyIsString"/>.</summary>
    public static object? Parse(ColumnSpec column, ReadOnlySpan<char> text, bool emptyIsString = false)
    {
        if (column.IsString) return ParseString(column, text, emptyIsString);
        var t = text.Trim();
        if (t.IsEmpty) return null;
        if (column.IsArray) return ParseArray(column, t);
        switch (column.Kind)
        {
            case ColumnKind.Boolean:
            case ColumnKind.Bit:
                return ParseBool(t) is { } b ? Boxes.Bool(b) : null;
            case ColumnKind.Float:
            case ColumnKind.Double:
                {
                    var d = ParseDouble(column, t);
                    return double.IsNaN(d) || (column.NullFloat is { } nf && nf.Equals(d)) ? null : d;
                }
            default:
                {
                    if (!TryParseInteger(t, out var l))
                    {
                        if (IsNaNToken(t)) return null;
                        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && Math.Abs(d) < 9.2e18) l = (long)d;
                        else throw Bad(column, t);
                    }
                    return column.NullInteger == l ? null : Boxes.Long(l);
                }
        }
    }

    private static object? ParseString(ColumnSpec column, ReadOnlySpan<char> text, bool emptyIsString)
    {
        if (text.IsEmpty) return emptyIsString ? string.Empty : null;
        if (column.NullText is { } nt && text.SequenceEqual(nt)) return null;
        if (column.IsTimestamp)
        {
            if (Timestamps.TryParse(text, out var dt)) return dt;
            if (text.IsWhiteSpace()) return null;
        }
        return new string(text);
    }

    public static bool? ParseBool(ReadOnlySpan<char> t)
    {
        if (t.IsEmpty) return null;
        return t[0] switch
        {
            'T' or 't' or '1' or 'Y' or 'y' => true,
            'F' or 'f' or '0' or 'N' or 'n' => false,
            _ => null,
        };
    }

    public static bool TryParseInteger(ReadOnlySpan<char> t, out long value)
    {
        if (t.Length > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X'))
        {
            if (ulong.TryParse(t[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var u))
            {
                value = unchecked((long)u);
                return true;
            }
            value = 0;
            return false;
        }
        return long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Parses a float/double; single-precision columns are narrowed to float so that text and binary
    /// serializations of the same table give identical values.</summary>
    public static double ParseDouble(ColumnSpec column, ReadOnlySpan<char> t)
    {
        if (column.Kind is ColumnKind.Float or ColumnKind.FloatComplex)
        {
            if (float.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var f)) return f;
        }
        else if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
        if (TryParseSpecial(t, out var special)) return special;
        throw Bad(column, t);
    }

    private static bool IsNaNToken(ReadOnlySpan<char> t) => t.Equals("NaN", StringComparison.OrdinalIgnoreCase);

    private static bool TryParseSpecial(ReadOnlySpan<char> t, out double d)
    {
        d = double.NaN;
        if (IsNaNToken(t)) return true;
        var sign = 1.0;
        if (t.Length > 0 && (t[0] == '+' || t[0] == '-'))
        {
            sign = t[0] == '-' ? -1 : 1;
            t = t[1..];
        }
        if (t.Equals("Inf", StringComparison.OrdinalIgnoreCase) || t.Equals("Infinity", StringComparison.OrdinalIgnoreCase))
        {
            d = sign * double.PositiveInfinity;
            return true;
        }
        return false;
    }

    private static object ParseArray(ColumnSpec column, ReadOnlySpan<char> t)
    {
        var items = new List<Range>();
        foreach (var r in t.SplitAny(" \t\r\n,"))
            if (!t[r].IsEmpty) items.Add(r);
        switch (column.Kind)
        {
            case ColumnKind.Boolean:
            case ColumnKind.Bit:
                {
                    var a = new bool[items.Count];
                    for (var i = 0; i < a.Length; i++) a[i] = ParseBool(t[items[i]]) ?? false;
                    return a;
                }
            case ColumnKind.Float:
            case ColumnKind.Double:
            case ColumnKind.FloatComplex:
            case ColumnKind.DoubleComplex:
                {
                    var a = new double[items.Count];
                    for (var i = 0; i < a.Length; i++) a[i] = ParseDouble(column, t[items[i]]);
                    return a;
                }
            default:
                {
                    var a = new long[items.Count];
                    for (var i = 0; i < a.Length; i++)
                        if (!TryParseInteger(t[items[i]], out a[i])) throw Bad(column, t[items[i]]);
                    return a;
                }
        }
    }

    private static TableFormatException Bad(ColumnSpec column, ReadOnlySpan<char> t)
    {
        var shown = t.Length > 64 ? string.Concat(t[..64], "...") : t.ToString();
        return new TableFormatException($"Column '{column.Name}' ({column.Field.Datatype}): cannot parse value '{shown}'.");
    }
}
