namespace Broker.Adql;

/// <summary>An expression compiled to a delegate over a row array, with its static kind and metadata.</summary>
internal sealed class Compiled
{
    private static readonly object?[] NoRow = [];

    public Compiled(Func<object?[], object?> eval, ValueKind kind)
    {
        Eval = eval;
        Kind = kind;
    }

    public Func<object?[], object?> Eval { get; }

    public ValueKind Kind { get; }

    /// <summary>Source column metadata when the expression is (or stands for) a plain column.</summary>
    public AdqlColumn? Column { get; init; }

    public string? Unit { get; init; }

    public bool IsConstant { get; private init; }

    public object? Constant { get; private init; }

    public static Compiled Const(object? value, ValueKind kind, string? unit = null) =>
        new(_ => value, kind) { IsConstant = true, Constant = value, Unit = unit };

    /// <summary>Evaluates once when all inputs are constant, otherwise returns <paramref name="compiled"/>.</summary>
    public static Compiled Fold(Compiled compiled, params Compiled[] inputs)
    {
        foreach (var input in inputs)
        {
            if (!input.IsConstant)
            {
                return compiled;
            }
        }

        return Const(compiled.Eval(NoRow), compiled.Kind, compiled.Unit);
    }
}
