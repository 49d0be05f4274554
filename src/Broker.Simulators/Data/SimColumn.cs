namespace Broker.Simulators.Data;

/// <summary>Metadata of one column of a simulated table (VOTable/VODataService vocabulary).</summary>
/// <param name="Name">Column name, lower case.</param>
/// <param name="Datatype">VOTable datatype: char, int, long, double, boolean...</param>
/// <param name="Arraysize">VOTable arraysize (e.g. <c>*</c> for strings), null for scalars.</param>
/// <param name="Xtype">Extended type, e.g. <c>timestamp</c>.</param>
/// <param name="Unit">Unit string.</param>
/// <param name="Ucd">UCD.</param>
/// <param name="Description">Human description.</param>
public sealed record SimColumn(
    string Name,
    string Datatype,
    string? Arraysize = null,
    string? Xtype = null,
    string? Unit = null,
    string? Ucd = null,
    string? Description = null)
{
    /// <summary>A variable-length string column.</summary>
    public static SimColumn Text(string name, string? description = null, string? ucd = null) =>
        new(name, "char", "*", Description: description, Ucd: ucd);

    /// <summary>A timestamp column (char with xtype timestamp; values are UTC <see cref="DateTime"/>).</summary>
    public static SimColumn Timestamp(string name, string? description = null, string? ucd = null) =>
        new(name, "char", "*", "timestamp", Description: description, Ucd: ucd);

    /// <summary>A 64-bit integer column.</summary>
    public static SimColumn Long(string name, string? unit = null, string? description = null, string? ucd = null) =>
        new(name, "long", Unit: unit, Description: description, Ucd: ucd);

    /// <summary>A 32-bit integer column.</summary>
    public static SimColumn Int(string name, string? unit = null, string? description = null, string? ucd = null) =>
        new(name, "int", Unit: unit, Description: description, Ucd: ucd);

    /// <summary>A double precision column.</summary>
    public static SimColumn Double(string name, string? unit = null, string? description = null, string? ucd = null) =>
        new(name, "double", Unit: unit, Description: description, Ucd: ucd);
}
