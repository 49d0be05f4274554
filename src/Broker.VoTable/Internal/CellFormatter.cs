using System.Globalization;

namespace Broker.VoTable;

/// <summary>Formats a non-null cell value as text (TABLEDATA, CSV, TSV), invariant and round-trippable.</summary>
internal static class CellFormatter
{
    public static void Format(ColumnSpec c, object value, CharBuffer sb, bool wordBooleans = false)
    {
        if (c.IsString)
        {
            sb.Append(ValueConverter.ToText(value).AsSpan());
            return;
        }
        if (c.IsArray)
        {
            var list = ValueConverter.AsList(value);
            for (var i = 0; i < list.Count; i++)
            {
                if (i > 0) sb.AppendChar(' ');
                var item = list[i];
                if (item is null) FormatNullElement(c, sb);
                else FormatScalar(c, item, sb, wordBooleans);
            }
            return;
        }
        FormatScalar(c, value, sb, wordBooleans);
    }

    private static void FormatNullElement(ColumnSpec c, CharBuffer sb)
    {
        if (c.IsInteger) FormatLong(c.NullInteger ?? 0, sb);
        else if (c.Kind is ColumnKind.Boolean or ColumnKind.Bit) sb.AppendChar(c.Kind == ColumnKind.Bit ? '0' : '?');
        else sb.Append("NaN");
    }

    private static void FormatScalar(ColumnSpec c, object value, CharBuffer sb, bool wordBooleans)
    {
        switch (c.Kind)
        {
            case ColumnKind.Boolean:
                var b = ValueConverter.ToBool(c, value);
                if (wordBooleans) sb.Append(b ? "true" : "false");
                else sb.AppendChar(b ? 'T' : 'F');
                return;
            case ColumnKind.Bit:
                sb.AppendChar(ValueConverter.ToBool(c, value) ? '1' : '0');
                return;
            case ColumnKind.Float:
            case ColumnKind.FloatComplex:
                FormatDouble(ValueConverter.ToDouble(c, value), true, sb);
                return;
            case ColumnKind.Double:
            case ColumnKind.DoubleComplex:
                FormatDouble(ValueConverter.ToDouble(c, value), false, sb);
                return;
            default:
                FormatLong(ValueConverter.ToInt64(c, value), sb);
                return;
        }
    }

    public static void FormatLong(long value, CharBuffer sb)
    {
        value.TryFormat(sb.GetSpan(20), out var n, default, CultureInfo.InvariantCulture);
        sb.Advance(n);
    }

    public static void FormatDouble(double d, bool single, CharBuffer sb)
    {
        if (double.IsNaN(d)) { sb.Append("NaN"); return; }
        if (double.IsPositiveInfinity(d)) { sb.Append("+Inf"); return; }
        if (double.IsNegativeInfinity(d)) { sb.Append("-Inf"); return; }
        int n;
        if (single) ((float)d).TryFormat(sb.GetSpan(32), out n, "R", CultureInfo.InvariantCulture);
        else d.TryFormat(sb.GetSpan(32), out n, "R", CultureInfo.InvariantCulture);
        sb.Advance(n);
    }
}
