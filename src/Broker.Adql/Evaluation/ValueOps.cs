using System.Globalization;

namespace Broker.Adql;

/// <summary>Runtime value semantics: comparison, numeric coercion, text conversion, key normalisation.</summary>
internal static class ValueOps
{
    public static readonly object True = true;
    public static readonly object False = false;

    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm", "yyyy-MM-dd",
    ];

    public static object Box(bool value) => value ? True : False;

    public static bool TryNumber(object? value, out double number)
    {
        switch (value)
        {
            case long l: number = l; return true;
            case double d: number = d; return true;
            case int i: number = i; return true;
            case short s: number = s; return true;
            case byte b: number = b; return true;
            case float f: number = f; return true;
            case decimal m: number = (double)m; return true;
            default: number = 0; return false;
        }
    }

    public static bool TryInteger(object? value, out long number)
    {
        switch (value)
        {
            case long l: number = l; return true;
            case int i: number = i; return true;
            case short s: number = s; return true;
            case byte b: number = b; return true;
            default: number = 0; return false;
        }
    }

    public static bool TryParseNumber(string text, out double number) =>
        double.TryParse(text.AsSpan().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out number);

    public static bool TryParseTimestamp(string text, out DateTime value)
    {
        var span = text.AsSpan().Trim();
        if (span.EndsWith("Z", StringComparison.OrdinalIgnoreCase))
        {
            span = span[..^1];
        }

        if (span.Length >= 10 && DateTime.TryParseExact(
                span,
                TimestampFormats,
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out value))
        {
            return true;
        }

        value = default;
        return false;
    }

    public static bool TryParseBoolean(string text, out bool value)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "true" or "t" or "1" or "yes":
                value = true;
                return true;
            case "false" or "f" or "0" or "no":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    /// <summary>Text form used by concatenation, LIKE on non-strings, LOWER/UPPER and CAST to CHAR.</summary>
    public static string ToText(object value) => value switch
    {
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>
    /// Compares two values; <c>null</c> when either is null. Strings compare ordinally; numbers numerically
    /// (a string that parses as a number compares numerically with a number); timestamps as instants (a string
    /// that parses as an ISO timestamp compares as an instant); booleans with booleans or 'true'/'false'.
    /// Anything else falls back to comparing text forms.
    /// </summary>
    public static int? Compare(object? a, object? b)
    {
        if (a is null || b is null)
        {
            return null;
        }

        if (a is string sa && b is string sb)
        {
            return Math.Sign(string.CompareOrdinal(sa, sb));
        }

        if (TryInteger(a, out var la) && TryInteger(b, out var lb))
        {
            return la.CompareTo(lb);
        }

        return CompareMixed(a, b) ?? -CompareMixed(b, a) ?? Math.Sign(string.CompareOrdinal(ToText(a), ToText(b)));
    }

    /// <summary>Compares a row value with a pre-analysed constant.</summary>
    public static int? Compare(object? value, ConstantOperand constant)
    {
        if (value is null || constant.Value is null)
        {
            return null;
        }

        switch (value)
        {
            case string s when constant.Value is string ks:
                return Math.Sign(string.CompareOrdinal(s, ks));
            case DateTime t when constant.Timestamp is { } kt:
                return t.Ticks.CompareTo(kt.Ticks);
            case long l when constant.Value is long kl:
                return l.CompareTo(kl);
            case long l when constant.Number is { } kn:
                return ((double)l).CompareTo(kn);
            case double d when constant.Number is { } kn:
                return d.CompareTo(kn);
            case bool b when constant.Boolean is { } kb:
                return b.CompareTo(kb);
            default:
                return Compare(value, constant.Value);
        }
    }

    private static int? CompareMixed(object a, object b)
    {
        if (TryNumber(a, out var da))
        {
            if (TryNumber(b, out var db) || (b is string s && TryParseNumber(s, out db)))
            {
                return da.CompareTo(db);
            }

            if (b is bool bb)
            {
                return da.CompareTo(bb ? 1.0 : 0.0);
            }

            return null;
        }

        if (a is DateTime ta)
        {
            if (b is DateTime tb || (b is string s && TryParseTimestamp(s, out tb)))
            {
                return ta.Ticks.CompareTo(tb.Ticks);
            }

            return null;
        }

        if (a is bool ba && (b is bool bb2 || (b is string s2 && TryParseBoolean(s2, out bb2))))
        {
            return ba.CompareTo(bb2);
        }

        return null;
    }

    /// <summary>Normalises a value for hashing/equality in GROUP BY, DISTINCT and join keys.</summary>
    public static object? NormalizeKey(object? value)
    {
        switch (value)
        {
            case null or string or long or bool:
                return value;
            case DateTime t:
                return t.Ticks;
            case int or short or byte:
                TryInteger(value, out var l);
                return l;
            default:
                if (TryNumber(value, out var d))
                {
                    return d == Math.Floor(d) && d >= long.MinValue && d < 9.2233720368547758e18 ? (long)d : d;
                }

                return value;
        }
    }

    /// <summary>Order for sorting: nulls last, then <see cref="Compare(object?, object?)"/>.</summary>
    public static int CompareForSort(object? a, object? b, bool descending)
    {
        if (a is null)
        {
            return b is null ? 0 : 1;
        }

        if (b is null)
        {
            return -1;
        }

        var c = Compare(a, b) ?? 0;
        return descending ? -c : c;
    }
}

/// <summary>A constant comparison operand with its string interpretations pre-parsed.</summary>
internal sealed class ConstantOperand
{
    public ConstantOperand(object? value)
    {
        Value = value;
        if (value is string s)
        {
            Timestamp = ValueOps.TryParseTimestamp(s, out var t) ? t : null;
            Number = ValueOps.TryParseNumber(s, out var d) ? d : null;
            Boolean = ValueOps.TryParseBoolean(s, out var b) ? b : null;
        }
        else if (ValueOps.TryNumber(value, out var d))
        {
            Number = d;
        }
        else if (value is DateTime t)
        {
            Timestamp = t;
        }
        else if (value is bool b)
        {
            Boolean = b;
        }
    }

    public object? Value { get; }

    public DateTime? Timestamp { get; }

    public double? Number { get; }

    public bool? Boolean { get; }
}

/// <summary>Equality over key arrays whose elements were passed through <see cref="ValueOps.NormalizeKey"/>.</summary>
internal sealed class KeyComparer : IEqualityComparer<object?[]>
{
    public static readonly KeyComparer Instance = new();

    public bool Equals(object?[]? x, object?[]? y)
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }

        if (x is null || y is null || x.Length != y.Length)
        {
            return false;
        }

        for (var i = 0; i < x.Length; i++)
        {
            if (!Equals(x[i], y[i]))
            {
                return false;
            }
        }

        return true;
    }

    public int GetHashCode(object?[] obj)
    {
        var hash = new HashCode();
        foreach (var v in obj)
        {
            hash.Add(v);
        }

        return hash.ToHashCode();
    }
}
