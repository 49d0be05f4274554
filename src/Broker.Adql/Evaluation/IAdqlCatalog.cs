namespace Broker.Adql;

/// <summary>Resolves table names for the <see cref="AdqlEvaluator"/>.</summary>
public interface IAdqlCatalog
{
    /// <summary>
    /// Finds a table case-insensitively. <paramref name="schema"/> is <c>null</c> when the query names the table
    /// without a schema. Returns <c>null</c> when there is no such table; may throw
    /// <see cref="AdqlSemanticException"/> when an unqualified name is ambiguous.
    /// </summary>
    IAdqlTable? FindTable(string? schema, string table);
}

/// <summary>An in-memory (or streamed) table the evaluator can read.</summary>
public interface IAdqlTable
{
    /// <summary>Schema name, or <c>null</c>.</summary>
    string? Schema { get; }

    /// <summary>Table name.</summary>
    string Name { get; }

    /// <summary>Column metadata, in row order.</summary>
    IReadOnlyList<AdqlColumn> Columns { get; }

    /// <summary>
    /// The rows; each array has one value per column: <see cref="string"/>, <see cref="long"/>, <see cref="double"/>,
    /// <see cref="bool"/>, <see cref="DateTime"/> (UTC) or <c>null</c>. Arrays are never modified by the evaluator.
    /// May be enumerated more than once per query (e.g. the inner side of a join).
    /// </summary>
    IEnumerable<object?[]> Rows { get; }
}

/// <summary>
/// Column metadata in VOTable terms. <paramref name="Datatype"/> is a VOTable datatype (<c>char</c>, <c>short</c>,
/// <c>int</c>, <c>long</c>, <c>float</c>, <c>double</c>, <c>boolean</c>) or an ADQL type name (<c>VARCHAR</c>,
/// <c>INTEGER</c>, <c>BIGINT</c>, <c>DOUBLE</c>, <c>TIMESTAMP</c>); a timestamp is <c>char</c> with
/// <paramref name="Xtype"/> <c>timestamp</c>.
/// </summary>
/// <param name="Name">Column name.</param>
/// <param name="Datatype">VOTable or ADQL datatype name.</param>
/// <param name="Arraysize">VOTable arraysize (<c>*</c> for variable-length strings), or <c>null</c>.</param>
/// <param name="Xtype">VOTable xtype such as <c>timestamp</c>, or <c>null</c>.</param>
/// <param name="Unit">Unit string, or <c>null</c>.</param>
/// <param name="Description">Free-text description, or <c>null</c>.</param>
public sealed record AdqlColumn(
    string Name,
    string Datatype,
    string? Arraysize = null,
    string? Xtype = null,
    string? Unit = null,
    string? Description = null);
