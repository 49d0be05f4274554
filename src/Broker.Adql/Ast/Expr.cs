using System.Globalization;
using System.Text.RegularExpressions;

namespace Broker.Adql;

/// <summary>Base of all ADQL value and condition expressions. All nodes are immutable records with value equality.</summary>
public abstract record Expr;

/// <summary>A column reference <c>[[schema.]table.]column</c>.</summary>
/// <param name="Qualifier">Table or alias qualifier, or <c>null</c>.</param>
/// <param name="Column">Column identifier.</param>
public sealed record ColumnRef(TableName? Qualifier, Identifier Column) : Expr
{
    /// <summary>The column name without quotes.</summary>
    public string Name => Column.Name;

    /// <summary>Whether the column name is delimited (case-sensitive).</summary>
    public bool Delimited => Column.Delimited;
}

/// <summary>A string literal. <see cref="Value"/> is the unescaped text; the printer escapes it.</summary>
public sealed record StringLiteral(string Value) : Expr
{
    /// <summary>The unescaped value.</summary>
    public string Value { get; init; } = Value ?? throw new ArgumentNullException(nameof(Value));
}

/// <summary>
/// An unsigned numeric literal (<c>12</c>, <c>1.5</c>, <c>.5</c>, <c>1e-3</c>, <c>0x1F</c>), keeping its exact text.
/// Negative numbers are a <see cref="NegateExpr"/> around a literal.
/// </summary>
public sealed partial record NumberLiteral : Expr
{
    /// <summary>Creates a literal from its ADQL text; throws <see cref="ArgumentException"/> if the text is not an unsigned number.</summary>
    public NumberLiteral(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (HexPattern().IsMatch(text))
        {
            IsInteger = true;
            Value = (double)ulong.Parse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        }
        else if (DecimalPattern().IsMatch(text))
        {
            IsInteger = text.All(char.IsAsciiDigit);
            Value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        else
        {
            throw new ArgumentException($"'{text}' is not an unsigned ADQL number.", nameof(text));
        }

        Text = text;
    }

    /// <summary>The exact literal text.</summary>
    public string Text { get; }

    /// <summary>The numeric value.</summary>
    public double Value { get; }

    /// <summary>Whether the literal is an integer (decimal digits only, or hexadecimal).</summary>
    public bool IsInteger { get; }

    /// <summary>Returns the value as a 64-bit integer when it is an integer literal in range.</summary>
    public bool TryGetInt64(out long value)
    {
        value = 0;
        if (!IsInteger)
        {
            return false;
        }

        return Text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.TryParse(Text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && value >= 0
            : long.TryParse(Text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    [GeneratedRegex(@"^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")]
    private static partial Regex DecimalPattern();

    [GeneratedRegex(@"^0[xX][0-9A-Fa-f]+$")]
    private static partial Regex HexPattern();
}

/// <summary>The literal TRUE or FALSE.</summary>
public sealed record BooleanLiteral(bool Value) : Expr;

/// <summary>The literal NULL.</summary>
public sealed record NullLiteral : Expr
{
    /// <summary>Shared instance.</summary>
    public static NullLiteral Instance { get; } = new();
}

/// <summary>Unary minus.</summary>
public sealed record NegateExpr(Expr Operand) : Expr;

/// <summary>Arithmetic and concatenation operators.</summary>
public enum BinaryOperator
{
    /// <summary><c>+</c></summary>
    Add,

    /// <summary><c>-</c></summary>
    Subtract,

    /// <summary><c>*</c></summary>
    Multiply,

    /// <summary><c>/</c></summary>
    Divide,

    /// <summary><c>||</c></summary>
    Concat,
}

/// <summary>Binary arithmetic (<c>+ - * /</c>) or string concatenation (<c>||</c>).</summary>
public sealed record BinaryExpr(BinaryOperator Operator, Expr Left, Expr Right) : Expr;

/// <summary>Comparison operators.</summary>
public enum ComparisonOperator
{
    /// <summary><c>=</c></summary>
    Equal,

    /// <summary><c>&lt;&gt;</c> or <c>!=</c></summary>
    NotEqual,

    /// <summary><c>&lt;</c></summary>
    Less,

    /// <summary><c>&lt;=</c></summary>
    LessOrEqual,

    /// <summary><c>&gt;</c></summary>
    Greater,

    /// <summary><c>&gt;=</c></summary>
    GreaterOrEqual,
}

/// <summary>A comparison <c>left op right</c>.</summary>
public sealed record ComparisonExpr(ComparisonOperator Operator, Expr Left, Expr Right) : Expr;

/// <summary><c>left AND right</c>.</summary>
public sealed record AndExpr(Expr Left, Expr Right) : Expr;

/// <summary><c>left OR right</c>.</summary>
public sealed record OrExpr(Expr Left, Expr Right) : Expr;

/// <summary><c>NOT operand</c>.</summary>
public sealed record NotExpr(Expr Operand) : Expr;

/// <summary><c>operand [NOT] IN (values...)</c>.</summary>
public sealed record InExpr(Expr Operand, ValueList<Expr> Values, bool Negated = false) : Expr;

/// <summary><c>operand [NOT] BETWEEN low AND high</c>.</summary>
public sealed record BetweenExpr(Expr Operand, Expr Low, Expr High, bool Negated = false) : Expr;

/// <summary><c>operand [NOT] LIKE pattern</c>, or <c>ILIKE</c> when <paramref name="CaseInsensitive"/>.</summary>
public sealed record LikeExpr(Expr Operand, Expr Pattern, bool Negated = false, bool CaseInsensitive = false) : Expr;

/// <summary><c>operand IS [NOT] NULL</c>.</summary>
public sealed record IsNullExpr(Expr Operand, bool Negated = false) : Expr;

/// <summary>
/// A function call, including aggregates (<c>COUNT(x)</c>, <c>COUNT(DISTINCT x)</c>), math, string and geometry
/// functions. <see cref="Name"/> is stored upper-case.
/// </summary>
public sealed record FunctionCall(string Name, ValueList<Expr> Arguments, bool Distinct = false) : Expr
{
    /// <summary>Function name, upper-case.</summary>
    public string Name { get; init; } = Keywords.IsRegularIdentifier(Name ?? string.Empty)
        ? Name!.ToUpperInvariant()
        : throw new ArgumentException($"'{Name}' is not a valid function name.", nameof(Name));

    /// <summary>Whether the aggregate applies to distinct values only; only allowed on aggregate functions.</summary>
    public bool Distinct { get; init; } = Distinct && !IsAggregateName(Name)
        ? throw new ArgumentException($"DISTINCT is only allowed in aggregate functions, not {Name}.", nameof(Distinct))
        : Distinct;

    /// <summary>Whether this is one of the aggregate functions COUNT, MIN, MAX, SUM, AVG.</summary>
    public bool IsAggregate => IsAggregateName(Name);

    private static bool IsAggregateName(string? name) =>
        name?.ToUpperInvariant() is "COUNT" or "MIN" or "MAX" or "SUM" or "AVG";
}

/// <summary><c>COUNT(*)</c>.</summary>
public sealed record CountStarExpr : Expr
{
    /// <summary>Shared instance.</summary>
    public static CountStarExpr Instance { get; } = new();
}

/// <summary>
/// <c>CAST(operand AS type)</c>. <see cref="TargetType"/> is one of SMALLINT, INTEGER, BIGINT, REAL,
/// DOUBLE PRECISION, CHAR, VARCHAR, TIMESTAMP; <see cref="Length"/> applies to CHAR/VARCHAR.
/// </summary>
public sealed record CastExpr(Expr Operand, string TargetType, int? Length = null) : Expr
{
    private static readonly HashSet<string> KnownTypes = new(StringComparer.Ordinal)
    {
        "SMALLINT", "INTEGER", "BIGINT", "REAL", "DOUBLE PRECISION", "CHAR", "VARCHAR", "TIMESTAMP",
    };

    /// <summary>Target type name, upper-case; validated against the supported set.</summary>
    public string TargetType { get; init; } = TargetType is not null && KnownTypes.Contains(TargetType.ToUpperInvariant())
        ? TargetType.ToUpperInvariant()
        : throw new ArgumentException($"Unsupported CAST type '{TargetType}'.", nameof(TargetType));
}
