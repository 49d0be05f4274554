using System.Globalization;

namespace Broker.Adql;

/// <summary>
/// Helpers to build ADQL syntax trees from code without string concatenation. Every user value becomes a
/// literal node, which the printer escapes.
/// </summary>
public static class Adql
{
    /// <summary>An unqualified column, e.g. <c>Adql.Column("instrument")</c>.</summary>
    public static ColumnRef Column(string name) => new(null, Identifier.Of(name));

    /// <summary>A qualified column, e.g. <c>Adql.Column("h1", "begin_time")</c> for <c>h1.begin_time</c>.</summary>
    public static ColumnRef Column(string qualifier, string name) => new(TableName.Of(qualifier), Identifier.Of(name));

    /// <summary>A string literal holding <paramref name="value"/> verbatim (escaped when printed).</summary>
    public static StringLiteral String(string value) => new(value);

    /// <summary>A numeric literal; negative values become <c>-(literal)</c>. NaN and infinities are rejected.</summary>
    public static Expr Number(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "ADQL has no literal for NaN or infinity.");
        }

        var literal = new NumberLiteral(Math.Abs(value).ToString("R", CultureInfo.InvariantCulture));
        return value < 0 ? new NegateExpr(literal) : literal;
    }

    /// <summary>An integer literal; negative values become <c>-(literal)</c>.</summary>
    public static Expr Number(long value)
    {
        var literal = new NumberLiteral(value == long.MinValue
            ? "9223372036854775808"
            : Math.Abs(value).ToString(CultureInfo.InvariantCulture));
        return value < 0 ? new NegateExpr(literal) : literal;
    }

    /// <summary>A timestamp as an ISO string literal <c>'yyyy-MM-ddTHH:mm:ss.fff'</c> in UTC.</summary>
    public static StringLiteral Timestamp(DateTimeOffset value) =>
        new(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture));

    /// <summary>The NULL literal.</summary>
    public static NullLiteral Null => NullLiteral.Instance;

    /// <summary>A boolean literal.</summary>
    public static BooleanLiteral Boolean(bool value) => new(value);

    /// <summary><c>left = right</c>.</summary>
    public static ComparisonExpr Eq(Expr left, Expr right) => new(ComparisonOperator.Equal, left, right);

    /// <summary><c>left &lt; right</c>.</summary>
    public static ComparisonExpr Lt(Expr left, Expr right) => new(ComparisonOperator.Less, left, right);

    /// <summary><c>left &lt;= right</c>.</summary>
    public static ComparisonExpr Le(Expr left, Expr right) => new(ComparisonOperator.LessOrEqual, left, right);

    /// <summary><c>left &gt; right</c>.</summary>
    public static ComparisonExpr Gt(Expr left, Expr right) => new(ComparisonOperator.Greater, left, right);

    /// <summary><c>left &gt;= right</c>.</summary>
    public static ComparisonExpr Ge(Expr left, Expr right) => new(ComparisonOperator.GreaterOrEqual, left, right);

    /// <summary><c>operand IN (values...)</c>; <paramref name="values"/> must not be empty.</summary>
    public static InExpr In(Expr operand, IEnumerable<Expr> values)
    {
        var list = new ValueList<Expr>(values);
        return list.Count == 0 ? throw new ArgumentException("IN needs at least one value.", nameof(values)) : new InExpr(operand, list);
    }

    /// <summary><c>operand IN ('a', 'b', ...)</c> with string literals.</summary>
    public static InExpr In(Expr operand, IEnumerable<string> values) => In(operand, values.Select(v => (Expr)String(v)));

    /// <summary><c>operand LIKE 'pattern'</c> (<c>%</c> and <c>_</c> are wildcards).</summary>
    public static LikeExpr Like(Expr operand, string pattern) => new(operand, String(pattern));

    /// <summary><c>operand BETWEEN low AND high</c>.</summary>
    public static BetweenExpr Between(Expr operand, Expr low, Expr high) => new(operand, low, high);

    /// <summary><c>operand IS NULL</c>.</summary>
    public static IsNullExpr IsNull(Expr operand) => new(operand);

    /// <summary><c>operand IS NOT NULL</c>.</summary>
    public static IsNullExpr IsNotNull(Expr operand) => new(operand, Negated: true);

    /// <summary><c>UPPER(operand)</c>.</summary>
    public static FunctionCall Upper(Expr operand) => Function("UPPER", operand);

    /// <summary><c>LOWER(operand)</c>.</summary>
    public static FunctionCall Lower(Expr operand) => Function("LOWER", operand);

    /// <summary>A call of any function, e.g. <c>Adql.Function("CONTAINS", point, circle)</c>.</summary>
    public static FunctionCall Function(string name, params Expr[] arguments) => new(name, arguments);

    /// <summary><c>COUNT(*)</c>.</summary>
    public static CountStarExpr CountAll() => CountStarExpr.Instance;

    /// <summary><c>left AND right</c>.</summary>
    public static AndExpr And(Expr left, Expr right) => new(left, right);

    /// <summary><c>left OR right</c>.</summary>
    public static OrExpr Or(Expr left, Expr right) => new(left, right);

    /// <summary><c>NOT operand</c>.</summary>
    public static NotExpr Not(Expr operand) => new(operand);

    /// <summary>ANDs the non-null conditions left to right; returns <c>null</c> when there are none.</summary>
    public static Expr? AndAll(IEnumerable<Expr?> conditions) => Combine(conditions, (a, b) => new AndExpr(a, b));

    /// <summary>ANDs the non-null conditions left to right; returns <c>null</c> when there are none.</summary>
    public static Expr? AndAll(params Expr?[] conditions) => AndAll((IEnumerable<Expr?>)conditions);

    /// <summary>ORs the non-null conditions left to right; returns <c>null</c> when there are none.</summary>
    public static Expr? OrAll(IEnumerable<Expr?> conditions) => Combine(conditions, (a, b) => new OrExpr(a, b));

    /// <summary>Starts a query builder.</summary>
    public static SelectBuilder Select() => new();

    /// <summary>Starts a query builder with the given columns in the select list.</summary>
    public static SelectBuilder Select(params Expr[] columns) => new SelectBuilder().Columns(columns);

    private static Expr? Combine(IEnumerable<Expr?> conditions, Func<Expr, Expr, Expr> combine)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        Expr? result = null;
        foreach (var condition in conditions)
        {
            if (condition is not null)
            {
                result = result is null ? condition : combine(result, condition);
            }
        }

        return result;
    }
}
