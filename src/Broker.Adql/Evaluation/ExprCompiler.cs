using System.Text;
using System.Text.RegularExpressions;

namespace Broker.Adql;

/// <summary>Compiles AST expressions into delegates over row arrays (SQL three-valued logic for conditions).</summary>
internal static class ExprCompiler
{
    public static Compiled Compile(Expr expr, IBindingContext context)
    {
        var special = context.BindSpecial(expr);
        if (special is not null)
        {
            return special;
        }

        return expr switch
        {
            ColumnRef c => context.BindColumn(c),
            StringLiteral s => Compiled.Const(s.Value, ValueKind.String),
            NumberLiteral n => n.TryGetInt64(out var l)
                ? Compiled.Const(l, ValueKind.Integer)
                : Compiled.Const(n.Value, ValueKind.Double),
            BooleanLiteral b => Compiled.Const(ValueOps.Box(b.Value), ValueKind.Boolean),
            NullLiteral => Compiled.Const(null, ValueKind.Unknown),
            NegateExpr n => Negate(Compile(n.Operand, context)),
            BinaryExpr b => Binary(b.Operator, Compile(b.Left, context), Compile(b.Right, context)),
            ComparisonExpr c => Comparison(c.Operator, Compile(c.Left, context), Compile(c.Right, context)),
            AndExpr a => And(Condition(a.Left, context), Condition(a.Right, context)),
            OrExpr o => Or(Condition(o.Left, context), Condition(o.Right, context)),
            NotExpr n => Not(Condition(n.Operand, context)),
            InExpr i => In(Compile(i.Operand, context), i.Values.Select(v => Compile(v, context)).ToList(), i.Negated),
            BetweenExpr b => Between(b, context),
            LikeExpr l => Like(Compile(l.Operand, context), Compile(l.Pattern, context), l.Negated, l.CaseInsensitive),
            IsNullExpr n => IsNull(Compile(n.Operand, context), n.Negated),
            FunctionCall f => Functions.Compile(Functions.EnsureSupported(f), f.Arguments.Select(a => Compile(a, context)).ToList()),
            CastExpr c => Functions.Cast(Compile(c.Operand, context), c.TargetType, c.Length),
            CountStarExpr => throw new AdqlSemanticException("COUNT(*) is not allowed here"),
            _ => throw new AdqlSemanticException($"Unsupported expression {expr.GetType().Name}"),
        };
    }

    /// <summary>Compiles an expression that must be a condition (boolean or unknown type).</summary>
    public static Compiled Condition(Expr expr, IBindingContext context)
    {
        var compiled = Compile(expr, context);
        if (compiled.Kind is not (ValueKind.Boolean or ValueKind.Unknown))
        {
            throw new AdqlSemanticException($"Expected a condition but found a value: {AdqlPrinter.Print(expr)}");
        }

        return compiled;
    }

    private static Compiled Negate(Compiled operand)
    {
        RequireNumeric(operand, "unary -");
        var f = operand.Eval;
        return Compiled.Fold(
            new Compiled(
                row => f(row) switch
                {
                    null => null,
                    long l when l != long.MinValue => -l,
                    var v when ValueOps.TryNumber(v, out var d) => -d,
                    _ => null,
                },
                operand.Kind == ValueKind.Integer ? ValueKind.Integer : ValueKind.Double) { Unit = operand.Unit },
            operand);
    }

    private static Compiled Binary(BinaryOperator op, Compiled left, Compiled right)
    {
        var l = left.Eval;
        var r = right.Eval;
        if (op == BinaryOperator.Concat)
        {
            return Compiled.Fold(
                new Compiled(
                    row => l(row) is { } a && r(row) is { } b ? ValueOps.ToText(a) + ValueOps.ToText(b) : null,
                    ValueKind.String),
                left,
                right);
        }

        RequireNumeric(left, OperatorText(op));
        RequireNumeric(right, OperatorText(op));
        var kind = left.Kind == ValueKind.Integer && right.Kind == ValueKind.Integer ? ValueKind.Integer : ValueKind.Double;
        var unit = op is BinaryOperator.Add or BinaryOperator.Subtract && left.Unit == right.Unit ? left.Unit : null;
        return Compiled.Fold(new Compiled(row => Arithmetic(op, l(row), r(row)), kind) { Unit = unit }, left, right);
    }

    private static string OperatorText(BinaryOperator op) => op switch
    {
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        _ => "/",
    };

    internal static object? Arithmetic(BinaryOperator op, object? a, object? b)
    {
        if (a is null || b is null)
        {
            return null;
        }

        if (ValueOps.TryInteger(a, out var x) && ValueOps.TryInteger(b, out var y))
        {
            try
            {
                return op switch
                {
                    BinaryOperator.Add => checked(x + y),
                    BinaryOperator.Subtract => checked(x - y),
                    BinaryOperator.Multiply => checked(x * y),
                    _ => y == 0 ? null : checked(x / y),
                };
            }
            catch (OverflowException)
            {
                // Fall through to floating point.
            }
        }

        if (!ValueOps.TryNumber(a, out var p) || !ValueOps.TryNumber(b, out var q))
        {
            return null;
        }

        return op switch
        {
            BinaryOperator.Add => p + q,
            BinaryOperator.Subtract => p - q,
            BinaryOperator.Multiply => p * q,
            _ => q == 0 ? null : p / q,
        };
    }

    internal static void RequireNumeric(Compiled operand, string what)
    {
        if (!ValueKinds.IsNumeric(operand.Kind))
        {
            throw new AdqlSemanticException($"{what} needs numeric operands but got a {operand.Kind.ToString().ToLowerInvariant()} value");
        }
    }

    private static Compiled Comparison(ComparisonOperator op, Compiled left, Compiled right)
    {
        Func<object?[], int?> compare;
        var l = left.Eval;
        var r = right.Eval;
        if (right.IsConstant && !left.IsConstant)
        {
            var k = new ConstantOperand(right.Constant);
            compare = row => ValueOps.Compare(l(row), k);
        }
        else if (left.IsConstant && !right.IsConstant)
        {
            var k = new ConstantOperand(left.Constant);
            compare = row => -ValueOps.Compare(r(row), k);
        }
        else
        {
            compare = row => ValueOps.Compare(l(row), r(row));
        }

        return Compiled.Fold(new Compiled(row => Test(op, compare(row)), ValueKind.Boolean), left, right);
    }

    private static object? Test(ComparisonOperator op, int? c)
    {
        if (c is not { } v)
        {
            return null;
        }

        return ValueOps.Box(op switch
        {
            ComparisonOperator.Equal => v == 0,
            ComparisonOperator.NotEqual => v != 0,
            ComparisonOperator.Less => v < 0,
            ComparisonOperator.LessOrEqual => v <= 0,
            ComparisonOperator.Greater => v > 0,
            _ => v >= 0,
        });
    }

    private static Compiled And(Compiled left, Compiled right) => ShortCircuit(left, right, decisive: false);

    private static Compiled Or(Compiled left, Compiled right) => ShortCircuit(left, right, decisive: true);

    /// <summary>
    /// Three-valued AND (<paramref name="decisive"/> false) or OR (true): either side being the decisive value decides
    /// (the right side is not evaluated when the left one does); otherwise the result is the other truth value when
    /// both sides are known, and unknown (null) when either is.
    /// </summary>
    private static Compiled ShortCircuit(Compiled left, Compiled right, bool decisive)
    {
        var l = left.Eval;
        var r = right.Eval;
        var decided = ValueOps.Box(decisive);
        var undecided = ValueOps.Box(!decisive);
        return Compiled.Fold(
            new Compiled(
                row =>
                {
                    var a = l(row);
                    if (a is bool x && x == decisive)
                    {
                        return decided;
                    }

                    var b = r(row);
                    if (b is bool y && y == decisive)
                    {
                        return decided;
                    }

                    return a is bool && b is bool ? undecided : null;
                },
                ValueKind.Boolean),
            left,
            right);
    }

    private static Compiled Not(Compiled operand)
    {
        var f = operand.Eval;
        return Compiled.Fold(
            new Compiled(row => f(row) is bool b ? ValueOps.Box(!b) : null, ValueKind.Boolean),
            operand);
    }

    private static Compiled In(Compiled operand, List<Compiled> values, bool negated)
    {
        var f = operand.Eval;
        var found = ValueOps.Box(!negated);
        var notFound = ValueOps.Box(negated);
        Func<object?[], object?> eval;
        if (values.All(v => v.IsConstant))
        {
            var constants = values.Where(v => v.Constant is not null).Select(v => new ConstantOperand(v.Constant)).ToArray();
            var hasNull = constants.Length < values.Count;
            HashSet<string>? strings = constants.All(k => k.Value is string)
                ? new HashSet<string>(constants.Select(k => (string)k.Value!), StringComparer.Ordinal)
                : null;
            eval = row =>
            {
                var v = f(row);
                if (v is null)
                {
                    return null;
                }

                if (strings is not null && v is string s)
                {
                    return strings.Contains(s) ? found : hasNull ? null : notFound;
                }

                foreach (var k in constants)
                {
                    if (ValueOps.Compare(v, k) == 0)
                    {
                        return found;
                    }
                }

                return hasNull ? null : notFound;
            };
        }
        else
        {
            var items = values.Select(v => v.Eval).ToArray();
            eval = row =>
            {
                var v = f(row);
                if (v is null)
                {
                    return null;
                }

                var sawNull = false;
                foreach (var item in items)
                {
                    var c = ValueOps.Compare(v, item(row));
                    if (c is null)
                    {
                        sawNull = true;
                    }
                    else if (c == 0)
                    {
                        return found;
                    }
                }

                return sawNull ? null : notFound;
            };
        }

        return Compiled.Fold(new Compiled(eval, ValueKind.Boolean), [operand, .. values]);
    }

    private static Compiled Between(BetweenExpr between, IBindingContext context)
    {
        var operand = Compile(between.Operand, context);
        var range = And(
            Comparison(ComparisonOperator.GreaterOrEqual, operand, Compile(between.Low, context)),
            Comparison(ComparisonOperator.LessOrEqual, operand, Compile(between.High, context)));
        return between.Negated ? Not(range) : range;
    }

    private static Compiled Like(Compiled operand, Compiled pattern, bool negated, bool caseInsensitive)
    {
        var f = operand.Eval;
        var options = RegexOptions.Singleline | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking
            | (caseInsensitive ? RegexOptions.IgnoreCase : RegexOptions.None);
        Func<object?[], object?> eval;
        if (pattern.IsConstant)
        {
            if (pattern.Constant is null)
            {
                return Compiled.Const(null, ValueKind.Boolean);
            }

            var regex = new Regex(LikeToRegex(ValueOps.ToText(pattern.Constant)), options);
            eval = row => f(row) is { } v ? ValueOps.Box(regex.IsMatch(ValueOps.ToText(v)) != negated) : null;
        }
        else
        {
            var p = pattern.Eval;
            eval = row =>
            {
                if (f(row) is not { } v || p(row) is not { } pv)
                {
                    return null;
                }

                return ValueOps.Box(Regex.IsMatch(ValueOps.ToText(v), LikeToRegex(ValueOps.ToText(pv)), options) != negated);
            };
        }

        return Compiled.Fold(new Compiled(eval, ValueKind.Boolean), operand, pattern);
    }

    internal static string LikeToRegex(string pattern)
    {
        var sb = new StringBuilder("^");
        foreach (var c in pattern)
        {
            sb.Append(c switch
            {
                '%' => ".*",
                '_' => ".",
                _ => Regex.Escape(c.ToString()),
            });
        }

        return sb.Append(@"\z").ToString();
    }

    private static Compiled IsNull(Compiled operand, bool negated)
    {
        var f = operand.Eval;
        return Compiled.Fold(
            new Compiled(row => ValueOps.Box(f(row) is null != negated), ValueKind.Boolean),
            operand);
    }
}
