namespace Broker.Adql;

/// <summary>Decides what column references and aggregate calls mean while compiling an expression.</summary>
internal interface IBindingContext
{
    /// <summary>Returns a compiled replacement for <paramref name="expr"/> (group key, aggregate slot) or <c>null</c>.</summary>
    Compiled? BindSpecial(Expr expr);

    Compiled BindColumn(ColumnRef column);
}

/// <summary>Binds column references to positions in the combined source row; rejects aggregates.</summary>
internal sealed class RowContext(Scope scope, string clause) : IBindingContext
{
    public Scope Scope { get; } = scope;

    public Compiled? BindSpecial(Expr expr)
    {
        if (expr is CountStarExpr || expr is FunctionCall { IsAggregate: true })
        {
            var name = expr is FunctionCall f ? f.Name : "COUNT";
            throw new AdqlSemanticException($"Aggregate function {name} is not allowed in {clause}");
        }

        return null;
    }

    public Compiled BindColumn(ColumnRef column)
    {
        var index = Scope.Resolve(column, out var metadata);
        return new Compiled(row => row[index], ValueKinds.Of(metadata)) { Column = metadata, Unit = metadata.Unit };
    }
}

/// <summary>An aggregate call registered while compiling a grouped query.</summary>
internal sealed class AggregateSpec(Expr expression, string name, bool distinct, Compiled? argument)
{
    public Expr Expression { get; } = expression;

    public string Name { get; } = name;

    public bool Distinct { get; } = distinct;

    /// <summary>The argument compiled over source rows; <c>null</c> for COUNT(*).</summary>
    public Compiled? Argument { get; } = argument;

    public Accumulator CreateAccumulator() =>
        Argument is null ? new CountStarAccumulator() : Accumulator.Create(Name, Distinct);
}

/// <summary>
/// Binds expressions of a grouped query to a group row laid out as [group keys..., aggregate results...].
/// </summary>
internal sealed class GroupContext : IBindingContext
{
    private readonly Scope _scope;
    private readonly RowContext _rowContext;
    private readonly IReadOnlyList<Expr> _groupExpressions;
    private readonly int[] _groupColumnIndex;

    public GroupContext(Scope scope, IReadOnlyList<Expr> groupExpressions)
    {
        _scope = scope;
        _rowContext = new RowContext(scope, "GROUP BY");
        _groupExpressions = groupExpressions;
        Keys = groupExpressions.Select(e => ExprCompiler.Compile(e, _rowContext)).ToList();
        _groupColumnIndex = groupExpressions
            .Select(e => e is ColumnRef c ? scope.Resolve(c, out _) : -1)
            .ToArray();
    }

    /// <summary>Group key expressions compiled over source rows.</summary>
    public IReadOnlyList<Compiled> Keys { get; }

    public List<AggregateSpec> Aggregates { get; } = [];

    public Compiled? BindSpecial(Expr expr)
    {
        for (var i = 0; i < _groupExpressions.Count; i++)
        {
            if (_groupExpressions[i].Equals(expr))
            {
                return KeySlot(i);
            }
        }

        if (expr is ColumnRef column)
        {
            var index = _scope.Resolve(column, out _);
            var slot = Array.IndexOf(_groupColumnIndex, index);
            return slot >= 0 ? KeySlot(slot) : null;
        }

        return expr switch
        {
            CountStarExpr => AggregateSlot(expr, "COUNT", false, null),
            FunctionCall { IsAggregate: true } call => AggregateSlot(expr, call.Name, call.Distinct, call),
            _ => null,
        };
    }

    public Compiled BindColumn(ColumnRef column) =>
        throw new AdqlSemanticException(
            $"Column '{column.Name}' must appear in the GROUP BY clause or be used in an aggregate function");

    private Compiled KeySlot(int i)
    {
        var key = Keys[i];
        return new Compiled(row => row[i], key.Kind) { Column = key.Column, Unit = key.Unit };
    }

    private Compiled AggregateSlot(Expr expr, string name, bool distinct, FunctionCall? call)
    {
        var existing = Aggregates.FindIndex(a => a.Expression.Equals(expr));
        if (existing < 0)
        {
            Compiled? argument = null;
            if (call is not null)
            {
                if (call.Arguments.Count != 1)
                {
                    throw new AdqlSemanticException($"Aggregate function {name} expects exactly one argument");
                }

                argument = ExprCompiler.Compile(call.Arguments[0], new RowContext(_scope, "an aggregate argument"));
                if (name is "SUM" or "AVG" && !ValueKinds.IsNumeric(argument.Kind))
                {
                    throw new AdqlSemanticException($"Aggregate function {name} needs a numeric argument");
                }
            }

            Aggregates.Add(new AggregateSpec(expr, name, distinct, argument));
            existing = Aggregates.Count - 1;
        }

        var spec = Aggregates[existing];
        var slot = Keys.Count + existing;
        var argKind = spec.Argument?.Kind ?? ValueKind.Unknown;
        var kind = name switch
        {
            "COUNT" => ValueKind.Integer,
            "AVG" => ValueKind.Double,
            "SUM" => argKind == ValueKind.Integer ? ValueKind.Integer : ValueKind.Double,
            _ => argKind,
        };
        var keepsColumn = name is "MIN" or "MAX";
        return new Compiled(row => row[slot], kind)
        {
            Column = keepsColumn ? spec.Argument?.Column : null,
            Unit = name == "COUNT" ? null : spec.Argument?.Unit,
        };
    }
}
