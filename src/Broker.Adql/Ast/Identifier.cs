namespace Broker.Adql;

/// <summary>
/// An ADQL identifier. Regular identifiers (<c>Delimited == false</c>) are case-insensitive;
/// delimited (<c>"..."</c>) identifiers are case-sensitive and may be reserved words.
/// </summary>
/// <param name="Name">The identifier text, without quotes.</param>
/// <param name="Delimited">Whether it was (or must be) written in double quotes.</param>
public sealed record Identifier(string Name, bool Delimited = false)
{
    /// <summary>The identifier text, without quotes. Never empty.</summary>
    public string Name { get; init; } = string.IsNullOrEmpty(Name)
        ? throw new ArgumentException("Identifier must not be empty.", nameof(Name))
        : Name;

    /// <summary>
    /// Creates an identifier for a name given by code: regular when it is a legal regular identifier and not an
    /// ADQL 2.1 or SQL-92 reserved word (LEVEL, SIZE, DESCRIPTOR ...), otherwise delimited (and therefore case-sensitive).
    /// </summary>
    public static Identifier Of(string name) =>
        new(name, !Keywords.IsRegularIdentifier(name) || Keywords.IsSqlReserved(name));

    /// <summary>Whether <paramref name="name"/> denotes this identifier (ordinal if delimited, else case-insensitive).</summary>
    public bool Matches(string name) => string.Equals(
        Name,
        name,
        Delimited ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override string ToString() => AdqlPrinter.FormatIdentifier(this);
}

/// <summary>A table name, optionally qualified by a schema: <c>[schema.]table</c>.</summary>
/// <param name="Schema">Schema, or <c>null</c>.</param>
/// <param name="Name">Table name.</param>
public sealed record TableName(Identifier? Schema, Identifier Name)
{
    /// <summary>
    /// Creates a table name from code. A single dot separates schema and table (<c>"soar.v_sc_data_item"</c>);
    /// names are made delimited when they are not legal regular identifiers.
    /// </summary>
    public static TableName Of(string qualifiedName)
    {
        ArgumentException.ThrowIfNullOrEmpty(qualifiedName);
        var dot = qualifiedName.IndexOf('.', StringComparison.Ordinal);
        return dot < 0
            ? new TableName(null, Identifier.Of(qualifiedName))
            : new TableName(Identifier.Of(qualifiedName[..dot]), Identifier.Of(qualifiedName[(dot + 1)..]));
    }

    /// <inheritdoc />
    public override string ToString() => Schema is null ? Name.ToString() : $"{Schema}.{Name}";
}
