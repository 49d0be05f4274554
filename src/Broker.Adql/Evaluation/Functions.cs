using System.Globalization;

namespace Broker.Adql;

/// <summary>Scalar ADQL functions: math, trigonometry, LOWER/UPPER, COALESCE, CAST and (in <see cref="GeometryFunctions"/>) geometry.</summary>
internal static class Functions
{
    private static readonly HashSet<string> Geometry = new(StringComparer.Ordinal)
    {
        "POINT", "CIRCLE", "BOX", "POLYGON", "REGION", "CONTAINS", "INTERSECTS", "DISTANCE", "AREA", "CENTROID",
        "COORD1", "COORD2", "COORDSYS",
    };

    private static readonly Dictionary<string, Func<double, double>> Unary = new(StringComparer.Ordinal)
    {
        ["CEILING"] = Math.Ceiling,
        ["FLOOR"] = Math.Floor,
        ["SQRT"] = Math.Sqrt,
        ["EXP"] = Math.Exp,
        ["LOG"] = Math.Log,
        ["LOG10"] = Math.Log10,
        ["SIN"] = Math.Sin,
        ["COS"] = Math.Cos,
        ["TAN"] = Math.Tan,
        ["ASIN"] = Math.Asin,
        ["ACOS"] = Math.Acos,
        ["ATAN"] = Math.Atan,
        ["COT"] = x => 1.0 / Math.Tan(x),
        ["DEGREES"] = x => x * 180.0 / Math.PI,
        ["RADIANS"] = x => x * Math.PI / 180.0,
    };

    /// <summary>True for the ADQL geometry functions (<see cref="GeometryFunctions"/>).</summary>
    public static bool IsGeometry(string upperName) => Geometry.Contains(upperName);

    /// <summary>Rejects calls this evaluator cannot run, before their arguments are compiled.</summary>
    public static FunctionCall EnsureSupported(FunctionCall call)
    {
        if (call.IsAggregate)
        {
            throw new AdqlSemanticException($"Aggregate function {call.Name} is not allowed here");
        }

        return call;
    }

    public static Compiled Compile(FunctionCall call, IReadOnlyList<Compiled> args)
    {
        var name = EnsureSupported(call).Name;
        if (Geometry.Contains(name))
        {
            return GeometryFunctions.Compile(name, args);
        }

        if (Unary.TryGetValue(name, out var unary))
        {
            Arity(name, args, 1, 1);
            var unit = name is "CEILING" or "FLOOR" ? args[0].Unit : null;
            return Numeric(name, args, ValueKind.Double, v => unary(v[0]), unit);
        }

        switch (name)
        {
            case "ABS":
                Arity(name, args, 1, 1);
                if (args[0].Kind == ValueKind.Integer)
                {
                    var f = args[0].Eval;
                    RequireNumericArgs(name, args);
                    return Compiled.Fold(
                        new Compiled(
                            row => f(row) switch
                            {
                                null => null,
                                long l when l != long.MinValue => Math.Abs(l),
                                var v when ValueOps.TryNumber(v, out var d) => Math.Abs(d),
                                _ => null,
                            },
                            ValueKind.Integer) { Unit = args[0].Unit },
                        args[0]);
                }

                return Numeric(name, args, ValueKind.Double, v => Math.Abs(v[0]), args[0].Unit);
            case "ROUND":
                Arity(name, args, 1, 2);
                return Numeric(name, args, ValueKind.Double, v => Round(v[0], v.Length > 1 ? v[1] : 0, truncate: false), args[0].Unit);
            case "TRUNCATE":
                Arity(name, args, 1, 2);
                return Numeric(name, args, ValueKind.Double, v => Round(v[0], v.Length > 1 ? v[1] : 0, truncate: true), args[0].Unit);
            case "POWER":
                Arity(name, args, 2, 2);
                return Numeric(name, args, ValueKind.Double, v => Math.Pow(v[0], v[1]), null);
            case "ATAN2":
                Arity(name, args, 2, 2);
                return Numeric(name, args, ValueKind.Double, v => Math.Atan2(v[0], v[1]), null);
            case "MOD":
                Arity(name, args, 2, 2);
                return Mod(args);
            case "PI":
                Arity(name, args, 0, 0);
                return Compiled.Const(Math.PI, ValueKind.Double);
            case "RAND":
                Arity(name, args, 0, 1);
                RequireNumericArgs(name, args);
                var random = args.Count == 1 && args[0].IsConstant && ValueOps.TryInteger(args[0].Constant, out var seed)
                    ? new Random(unchecked((int)seed))
                    : new Random();
                return new Compiled(_ => random.NextDouble(), ValueKind.Double);
            case "LOWER" or "UPPER":
                Arity(name, args, 1, 1);
                var s = args[0].Eval;
                var upper = name == "UPPER";
                return Compiled.Fold(
                    new Compiled(
                        row => s(row) is { } v
                            ? upper ? ValueOps.ToText(v).ToUpperInvariant() : ValueOps.ToText(v).ToLowerInvariant()
                            : null,
                        ValueKind.String),
                    args[0]);
            case "COALESCE":
                Arity(name, args, 1, int.MaxValue);
                var evals = args.Select(a => a.Eval).ToArray();
                var kind = args.Select(a => a.Kind).FirstOrDefault(k => k != ValueKind.Unknown);
                return Compiled.Fold(
                    new Compiled(
                        row =>
                        {
                            foreach (var e in evals)
                            {
                                if (e(row) is { } v)
                                {
                                    return v;
                                }
                            }

                            return null;
                        },
                        kind) { Unit = args[0].Unit },
                    [.. args]);
            default:
                throw new AdqlSemanticException($"Unknown function {name}");
        }
    }

    public static Compiled Cast(Compiled operand, string type, int? length)
    {
        var f = operand.Eval;
        Func<object, object?> convert = type switch
        {
            "SMALLINT" or "INTEGER" or "BIGINT" => v => ToInteger(v, type),
            "REAL" or "DOUBLE PRECISION" => v => ToDouble(v, type),
            "CHAR" or "VARCHAR" => v =>
            {
                var text = ValueOps.ToText(v);
                return length is { } n && text.Length > n ? text[..n] : text;
            },
            "TIMESTAMP" => v => v switch
            {
                DateTime t => t,
                string s when ValueOps.TryParseTimestamp(s, out var t) => t,
                _ => throw new AdqlSemanticException($"Cannot cast '{ValueOps.ToText(v)}' to TIMESTAMP"),
            },
            _ => throw new AdqlSemanticException($"Unsupported CAST type {type}"),
        };
        var kind = type switch
        {
            "SMALLINT" or "INTEGER" or "BIGINT" => ValueKind.Integer,
            "REAL" or "DOUBLE PRECISION" => ValueKind.Double,
            "TIMESTAMP" => ValueKind.Timestamp,
            _ => ValueKind.String,
        };
        return Compiled.Fold(new Compiled(row => f(row) is { } v ? convert(v) : null, kind), operand);
    }

    private static object ToInteger(object v, string type)
    {
        if (ValueOps.TryInteger(v, out var l))
        {
            return l;
        }

        if (ValueOps.TryNumber(v, out var d) || (v is string s && ValueOps.TryParseNumber(s, out d)))
        {
            if (double.IsFinite(d) && Math.Abs(d) < 9.2e18)
            {
                return (long)Math.Round(d, MidpointRounding.AwayFromZero);
            }
        }

        if (v is bool b)
        {
            return b ? 1L : 0L;
        }

        throw new AdqlSemanticException($"Cannot cast '{ValueOps.ToText(v)}' to {type}");
    }

    private static object ToDouble(object v, string type)
    {
        if (ValueOps.TryNumber(v, out var d) || (v is string s && ValueOps.TryParseNumber(s, out d)))
        {
            return d;
        }

        throw new AdqlSemanticException($"Cannot cast '{ValueOps.ToText(v)}' to {type}");
    }

    private static double Round(double value, double digits, bool truncate)
    {
        var n = (int)Math.Clamp(digits, -15, 15);
        var factor = Math.Pow(10, n);
        var scaled = value * factor;
        var rounded = truncate ? Math.Truncate(scaled) : Math.Round(scaled, MidpointRounding.AwayFromZero);
        return rounded / factor;
    }

    private static Compiled Mod(IReadOnlyList<Compiled> args)
    {
        RequireNumericArgs("MOD", args);
        var a = args[0].Eval;
        var b = args[1].Eval;
        var kind = args[0].Kind == ValueKind.Integer && args[1].Kind == ValueKind.Integer ? ValueKind.Integer : ValueKind.Double;
        return Compiled.Fold(
            new Compiled(
                row =>
                {
                    var x = a(row);
                    var y = b(row);
                    if (ValueOps.TryInteger(x, out var lx) && ValueOps.TryInteger(y, out var ly))
                    {
                        return ly == 0 ? null : ly == -1 ? 0L : lx % ly;
                    }

                    return ValueOps.TryNumber(x, out var dx) && ValueOps.TryNumber(y, out var dy) && dy != 0 ? dx % dy : null;
                },
                kind),
            [.. args]);
    }

    private static Compiled Numeric(string name, IReadOnlyList<Compiled> args, ValueKind kind, Func<double[], double> body, string? unit)
    {
        RequireNumericArgs(name, args);
        var evals = args.Select(a => a.Eval).ToArray();
        return Compiled.Fold(
            new Compiled(
                row =>
                {
                    var values = new double[evals.Length];
                    for (var i = 0; i < evals.Length; i++)
                    {
                        if (!ValueOps.TryNumber(evals[i](row), out values[i]))
                        {
                            return null;
                        }
                    }

                    return body(values);
                },
                kind) { Unit = unit },
            [.. args]);
    }

    private static void RequireNumericArgs(string name, IReadOnlyList<Compiled> args)
    {
        foreach (var arg in args)
        {
            ExprCompiler.RequireNumeric(arg, $"Function {name}");
        }
    }

    private static void Arity(string name, IReadOnlyList<Compiled> args, int min, int max)
    {
        if (args.Count < min || args.Count > max)
        {
            var expected = min == max
                ? min.ToString(CultureInfo.InvariantCulture)
                : max == int.MaxValue
                    ? $"at least {min}"
                    : $"{min} to {max}";
            throw new AdqlSemanticException($"Function {name} expects {expected} argument(s) but got {args.Count}");
        }
    }
}
