using System.Globalization;

namespace Broker.VoTable;

/// <summary>A <see cref="TableField"/> compiled for fast encoding and decoding.</summary>
internal sealed class ColumnSpec
{
    private ColumnSpec(TableField field, ColumnKind kind, int fixedCount, bool isArray)
    {
        Field = field;
        Kind = kind;
        FixedCount = fixedCount;
        IsArray = isArray;
        IsTimestamp = kind is ColumnKind.Char or ColumnKind.UnicodeChar
            && field.Xtype is { } x && (x.Equals("timestamp", StringComparison.OrdinalIgnoreCase) || x.Equals("adql:TIMESTAMP", StringComparison.OrdinalIgnoreCase));
        ElementSize = kind switch
        {
            ColumnKind.Boolean or ColumnKind.UnsignedByte or ColumnKind.Char => 1,
            ColumnKind.Short or ColumnKind.UnicodeChar => 2,
            ColumnKind.Int or ColumnKind.Float => 4,
            ColumnKind.Long or ColumnKind.Double or ColumnKind.FloatComplex => 8,
            ColumnKind.DoubleComplex => 16,
            _ => 0, // bit: packed
        };
        if (!string.IsNullOrWhiteSpace(field.NullValue))
        {
            var text = field.NullValue.Trim();
            if (IsInteger && CellParser.TryParseInteger(text, out var l)) NullInteger = l;
            else if (IsFloating && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) NullFloat = d;
            else if (IsString) NullText = field.NullValue;
        }
    }

    public TableField Field { get; }
    public string Name => Field.Name;
    public ColumnKind Kind { get; }

    /// <summary>Element count for fixed sizes; -1 when the size is variable.</summary>
    public int FixedCount { get; }

    /// <summary>True for non-char columns whose value is an array (including complex numbers).</summary>
    public bool IsArray { get; }
    public bool IsTimestamp { get; }
    public int ElementSize { get; }
    public long? NullInteger { get; set; }
    public double? NullFloat { get; }
    public string? NullText { get; }

    public bool IsString => Kind is ColumnKind.Char or ColumnKind.UnicodeChar;
    public bool IsInteger => Kind is ColumnKind.UnsignedByte or ColumnKind.Short or ColumnKind.Int or ColumnKind.Long;
    public bool IsFloating => Kind is ColumnKind.Float or ColumnKind.Double;
    public bool IsComplex => Kind is ColumnKind.FloatComplex or ColumnKind.DoubleComplex;
    public bool IsVariable => FixedCount < 0;

    public static ColumnSpec[] Compile(IReadOnlyList<TableField> fields)
    {
        var specs = new ColumnSpec[fields.Count];
        for (var i = 0; i < specs.Length; i++) specs[i] = Compile(fields[i]);
        return specs;
    }

    public static ColumnSpec Compile(TableField field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var kind = ParseDatatype(field.Datatype)
            ?? throw new TableFormatException($"Column '{field.Name}' has unsupported datatype '{field.Datatype}'.");
        var (count, variable) = ParseArraysize(field.Arraysize, field.Name);
        var scalarSize = string.IsNullOrWhiteSpace(field.Arraysize) || field.Arraysize.Trim() == "1";
        var isString = kind is ColumnKind.Char or ColumnKind.UnicodeChar;
        var isComplex = kind is ColumnKind.FloatComplex or ColumnKind.DoubleComplex;
        var isArray = !isString && (isComplex || !scalarSize);
        return new ColumnSpec(field, kind, variable ? -1 : count, isArray);
    }

    public static ColumnKind? ParseDatatype(string? datatype) => datatype?.Trim().ToLowerInvariant() switch
    {
        "boolean" => ColumnKind.Boolean,
        "bit" => ColumnKind.Bit,
        "unsignedbyte" => ColumnKind.UnsignedByte,
        "short" => ColumnKind.Short,
        "int" => ColumnKind.Int,
        "long" => ColumnKind.Long,
        "char" => ColumnKind.Char,
        "unicodechar" => ColumnKind.UnicodeChar,
        "float" => ColumnKind.Float,
        "double" => ColumnKind.Double,
        "floatcomplex" => ColumnKind.FloatComplex,
        "doublecomplex" => ColumnKind.DoubleComplex,
        _ => null,
    };

    private static (int Count, bool Variable) ParseArraysize(string? arraysize, string name)
    {
        if (string.IsNullOrWhiteSpace(arraysize)) return (1, false);
        var count = 1L;
        var dims = arraysize.Trim().Split('x');
        for (var i = 0; i < dims.Length; i++)
        {
            var d = dims[i].Trim();
            if (d.EndsWith('*'))
            {
                if (i != dims.Length - 1) throw new TableFormatException($"Column '{name}' has invalid arraysize '{arraysize}'.");
                return ((int)Math.Min(count, int.MaxValue), true);
            }
            if (!int.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 0)
                throw new TableFormatException($"Column '{name}' has invalid arraysize '{arraysize}'.");
            count *= n;
            if (count > int.MaxValue) throw new TableFormatException($"Column '{name}' has too large arraysize '{arraysize}'.");
        }
        return ((int)count, false);
    }
}
