namespace Broker.Adql;

/// <summary>Fluent combinators on expressions: <c>a.And(b)</c>, <c>col.Eq(value)</c>.</summary>
public static class ExprExtensions
{
    /// <summary><c>left AND right</c>; returns <paramref name="left"/> unchanged when <paramref name="right"/> is null.</summary>
    public static Expr And(this Expr left, Expr? right) => right is null ? left : new AndExpr(left, right);

    /// <summary><c>left OR right</c>; returns <paramref name="left"/> unchanged when <paramref name="right"/> is null.</summary>
    public static Expr Or(this Expr left, Expr? right) => right is null ? left : new OrExpr(left, right);

    /// <summary><c>NOT operand</c>.</summary>
    public static NotExpr Not(this Expr operand) => new(operand);

    /// <summary><c>left = right</c>.</summary>
    public static ComparisonExpr Eq(this Expr left, Expr right) => Adql.Eq(left, right);

    /// <summary><c>left = 'value'</c>.</summary>
    public static ComparisonExpr Eq(this Expr left, string value) => Adql.Eq(left, Adql.String(value));

    /// <summary>Pairs the expression with an alias for a select list.</summary>
    public static ExpressionItem As(this Expr expression, string alias) => new(expression, Identifier.Of(alias));
}
