namespace Broker.Adql;

/// <summary>One entry of the SELECT list.</summary>
public abstract record SelectItem;

/// <summary><c>*</c>.</summary>
public sealed record StarItem : SelectItem
{
    /// <summary>Shared instance.</summary>
    public static StarItem Instance { get; } = new();
}

/// <summary><c>qualifier.*</c>, e.g. <c>h1.*</c>.</summary>
public sealed record QualifiedStarItem(TableName Qualifier) : SelectItem;

/// <summary>An expression with an optional alias: <c>expr [AS alias]</c>.</summary>
public sealed record ExpressionItem(Expr Expression, Identifier? Alias = null) : SelectItem;

/// <summary>An entry of the FROM clause.</summary>
public abstract record FromItem;

/// <summary>A table with an optional alias: <c>[schema.]table [AS alias]</c>.</summary>
public sealed record TableRef(TableName Table, Identifier? Alias = null) : FromItem;

/// <summary>Join types.</summary>
public enum JoinType
{
    /// <summary><c>[INNER] JOIN</c></summary>
    Inner,

    /// <summary><c>LEFT [OUTER] JOIN</c></summary>
    Left,

    /// <summary><c>RIGHT [OUTER] JOIN</c></summary>
    Right,

    /// <summary><c>FULL [OUTER] JOIN</c></summary>
    Full,

    /// <summary><c>CROSS JOIN</c></summary>
    Cross,
}

/// <summary>
/// <c>left [NATURAL] type JOIN right [ON cond | USING (cols)]</c>. Exactly one of <see cref="On"/>,
/// <see cref="Using"/>, <see cref="Natural"/> applies, except for CROSS joins which have none.
/// </summary>
public sealed record JoinRef(
    FromItem Left,
    FromItem Right,
    JoinType Type,
    Expr? On = null,
    ValueList<Identifier>? Using = null,
    bool Natural = false) : FromItem;

/// <summary>An ORDER BY entry. A bare integer literal denotes a 1-based select-list position.</summary>
public sealed record OrderItem(Expr Expression, bool Descending = false);

/// <summary>An ADQL query specification.</summary>
public sealed record SelectStatement
{
    /// <summary>SELECT DISTINCT.</summary>
    public bool Distinct { get; init; }

    /// <summary>TOP n, or <c>null</c>.</summary>
    public long? Top { get; init; }

    /// <summary>The select list (non-empty).</summary>
    public required ValueList<SelectItem> Items { get; init; }

    /// <summary>FROM entries; more than one means comma-separated cross joins.</summary>
    public required ValueList<FromItem> From { get; init; }

    /// <summary>WHERE condition, or <c>null</c>.</summary>
    public Expr? Where { get; init; }

    /// <summary>GROUP BY expressions (empty when absent).</summary>
    public ValueList<Expr> GroupBy { get; init; } = ValueList<Expr>.Empty;

    /// <summary>HAVING condition, or <c>null</c>.</summary>
    public Expr? Having { get; init; }

    /// <summary>ORDER BY entries (empty when absent).</summary>
    public ValueList<OrderItem> OrderBy { get; init; } = ValueList<OrderItem>.Empty;

    /// <summary>OFFSET n (ADQL 2.1), or <c>null</c>.</summary>
    public long? Offset { get; init; }

    /// <inheritdoc />
    public override string ToString() => AdqlPrinter.Print(this);
}
