namespace Broker.Adql;

/// <summary>Structural queries over expression trees.</summary>
internal static class ExprWalker
{
    public static IEnumerable<Expr> Children(Expr expr) => expr switch
    {
        NegateExpr n => [n.Operand],
        BinaryExpr b => [b.Left, b.Right],
        ComparisonExpr c => [c.Left, c.Right],
        AndExpr a => [a.Left, a.Right],
        OrExpr o => [o.Left, o.Right],
        NotExpr n => [n.Operand],
        InExpr i => [i.Operand, .. i.Values],
        BetweenExpr b => [b.Operand, b.Low, b.High],
        LikeExpr l => [l.Operand, l.Pattern],
        IsNullExpr n => [n.Operand],
        FunctionCall f => f.Arguments,
        CastExpr c => [c.Operand],
        _ => [],
    };

    public static bool ContainsAggregate(Expr expr) =>
        expr is CountStarExpr or FunctionCall { IsAggregate: true } || Children(expr).Any(ContainsAggregate);
}
