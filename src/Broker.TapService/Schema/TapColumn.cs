using Broker.Adql;
using Broker.VoTable;

namespace Broker.TapService.Schema;

/// <summary>
/// One column of a table the TAP service publishes, in TAP_SCHEMA/VODataService terms. <see cref="Domain"/> states
/// what the broker guarantees about every value it produces (never null, a numeric range, a fixed vocabulary), so a
/// condition that contradicts it is known to match nothing without asking any provider.
/// </summary>
public sealed record TapColumn(
    string Name,
    string Datatype,
    string? Arraysize = null,
    string? Xtype = null,
    string? Unit = null,
    string? Ucd = null,
    string? Utype = null,
    string? Description = null)
{
    /// <summary>TAP_SCHEMA.columns.principal.</summary>
    public bool Principal { get; init; }

    /// <summary>TAP_SCHEMA.columns.indexed: the column drives the fan-out (a condition on it narrows the providers' work).</summary>
    public bool Indexed { get; init; }

    /// <summary>TAP_SCHEMA.columns.std: defined by an IVOA standard.</summary>
    public bool Std { get; init; }

    /// <summary>What every value of the column satisfies.</summary>
    public ColumnDomain Domain { get; init; } = ColumnDomain.Any;

    /// <summary>A variable-length string column.</summary>
    public static TapColumn Text(string name, string? ucd, string description, string? utype = null) =>
        new(name, "char", "*", Ucd: ucd, Utype: utype, Description: description);

    /// <summary>A timestamp column (values are UTC <see cref="DateTime"/>).</summary>
    public static TapColumn Timestamp(string name, string? ucd, string description) =>
        new(name, "char", "*", "timestamp", Ucd: ucd, Description: description);

    /// <summary>A double precision column.</summary>
    public static TapColumn Double(string name, string? unit, string? ucd, string description, string? utype = null) =>
        new(name, "double", Unit: unit, Ucd: ucd, Utype: utype, Description: description);

    /// <summary>A 64-bit integer column.</summary>
    public static TapColumn Long(string name, string? unit, string? ucd, string description, string? utype = null) =>
        new(name, "long", Unit: unit, Ucd: ucd, Utype: utype, Description: description);

    /// <summary>A 32-bit integer column.</summary>
    public static TapColumn Int(string name, string? unit, string? ucd, string description, string? utype = null) =>
        new(name, "int", Unit: unit, Ucd: ucd, Utype: utype, Description: description);

    /// <summary>The name as TAP_SCHEMA and /tables publish it: delimited (<c>"size"</c>) when it is an ADQL reserved word.</summary>
    public string PublishedName => Delimited ? "\"" + Name + "\"" : Identifier.Of(Name).ToString();

    /// <summary>Publish the name delimited although the project's lexer reads it as a regular identifier (SQL reserved words such as SIZE).</summary>
    public bool Delimited { get; init; }

    /// <summary>The column as the ADQL evaluator sees it.</summary>
    public AdqlColumn ToAdql() => new(Name, Datatype, Arraysize, Xtype, Unit, Description);

    /// <summary>The column as a VOTable FIELD.</summary>
    public TableField ToField() => new(Name, Datatype, Arraysize, Xtype, Unit, Ucd, Utype, Description);

    /// <summary>TAP_SCHEMA.columns."size": the fixed length of a fixed-size array, else null.</summary>
    public int? Size => Arraysize is { } a && int.TryParse(a, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;
}

/// <summary>What the broker guarantees about a column's values.</summary>
/// <param name="NotNull">No value is null.</param>
/// <param name="Min">Every numeric value is at least this.</param>
/// <param name="Max">Every numeric value is at most this.</param>
/// <param name="Values">Every non-null string value is one of these.</param>
public sealed record ColumnDomain(bool NotNull = false, double? Min = null, double? Max = null, IReadOnlyList<string>? Values = null)
{
    /// <summary>No guarantee.</summary>
    public static ColumnDomain Any { get; } = new();
}
