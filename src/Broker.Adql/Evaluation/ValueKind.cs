namespace Broker.Adql;

/// <summary>Static value categories used for type checks and output metadata.</summary>
internal enum ValueKind
{
    Unknown,
    String,
    Integer,
    Double,
    Boolean,
    Timestamp,
    /// <summary>A point, circle or polygon (<see cref="Geometry.Shape"/>), or region text from a region column.</summary>
    Geometry,
}

/// <summary>Maps between column metadata and <see cref="ValueKind"/>.</summary>
internal static class ValueKinds
{
    public static ValueKind Of(AdqlColumn column)
    {
        if (string.Equals(column.Xtype, "timestamp", StringComparison.OrdinalIgnoreCase))
        {
            return ValueKind.Timestamp;
        }

        if (column.Xtype?.ToLowerInvariant() is "adql:region" or "adql:point" or "region" or "point" or "circle" or "polygon" or "shape")
        {
            return ValueKind.Geometry;
        }

        return column.Datatype.ToLowerInvariant() switch
        {
            "char" or "unicodechar" or "varchar" or "char varying" or "clob" or "string" or "text" => ValueKind.String,
            "short" or "int" or "long" or "smallint" or "integer" or "bigint" or "unsignedbyte" => ValueKind.Integer,
            "float" or "double" or "real" or "double precision" or "numeric" or "decimal" => ValueKind.Double,
            "boolean" => ValueKind.Boolean,
            "timestamp" => ValueKind.Timestamp,
            _ => ValueKind.Unknown,
        };
    }

    public static bool IsNumeric(ValueKind kind) => kind is ValueKind.Integer or ValueKind.Double or ValueKind.Unknown;

    public static AdqlColumn Column(string name, ValueKind kind, string? unit) => kind switch
    {
        ValueKind.Integer => new AdqlColumn(name, "long", Unit: unit),
        ValueKind.Double => new AdqlColumn(name, "double", Unit: unit),
        ValueKind.Boolean => new AdqlColumn(name, "boolean", Unit: unit),
        ValueKind.Timestamp => new AdqlColumn(name, "char", "*", "timestamp", unit),
        ValueKind.Geometry => new AdqlColumn(name, "char", "*", "adql:REGION", unit),
        _ => new AdqlColumn(name, "char", "*", Unit: unit),
    };
}
