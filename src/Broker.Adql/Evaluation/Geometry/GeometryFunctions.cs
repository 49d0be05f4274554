using Broker.Adql.Geometry;

namespace Broker.Adql;

/// <summary>
/// The ADQL 2.0/2.1 geometry functions on the sphere (ICRS, degrees): POINT, CIRCLE, BOX, POLYGON, REGION build shapes;
/// CONTAINS and INTERSECTS answer 1 or 0; DISTANCE, COORD1, COORD2, AREA (square degrees), CENTROID and COORDSYS
/// measure them. A null argument, a region column whose text is not a readable ICRS region, or a shape of the wrong
/// kind where rows decide it (DISTANCE or COORD1 of a circle) gives null: rows are evaluated lazily, while the answer
/// streams, so only what is known before the first row can be an error. The
/// coordinate-system argument is optional (ADQL 2.1); when given it must be a literal naming ICRS (or FK5/J2000, which
/// the broker reads as ICRS: they differ by less than 0.1 arcsec) or be empty.
/// </summary>
internal static class GeometryFunctions
{
    private static readonly HashSet<string> IcrsLike = new(StringComparer.OrdinalIgnoreCase) { "ICRS", "FK5", "J2000", "UNKNOWNFRAME" };

    public static Compiled Compile(string name, IReadOnlyList<Compiled> args)
    {
        switch (name)
        {
            case "POINT":
            {
                var a = WithoutCoordSys(name, args);
                Count(name, a, 2, 2);
                return Numbers(name, a, v => Shapes.Point(v[0], v[1]));
            }
            case "CIRCLE":
            {
                var a = WithoutCoordSys(name, args);
                if (a.Count == 2 && a[0].Kind == ValueKind.Geometry)
                    return PointAnd(name, a, (p, v) => Shapes.Circle(p.Ra, p.Dec, v[0]));
                Count(name, a, 3, 3);
                return Numbers(name, a, v => Shapes.Circle(v[0], v[1], v[2]));
            }
            case "BOX":
            {
                var a = WithoutCoordSys(name, args);
                if (a.Count == 3 && a[0].Kind == ValueKind.Geometry)
                    return PointAnd(name, a, (p, v) => Shapes.Box(p.Ra, p.Dec, v[0], v[1]));
                Count(name, a, 4, 4);
                return Numbers(name, a, v => Shapes.Box(v[0], v[1], v[2], v[3]));
            }
            case "POLYGON":
            {
                var a = WithoutCoordSys(name, args);
                if (a.Count >= 3 && a.All(x => x.Kind == ValueKind.Geometry))
                    return Geometries(name, a, shapes => shapes.All(s => s is SkyPoint)
                        ? Shapes.Polygon(shapes.Cast<SkyPoint>().SelectMany(p => new[] { p.Ra, p.Dec }).ToList())
                        : null);
                if (a.Count < 6 || a.Count % 2 != 0)
                    throw new AdqlSemanticException($"Function POLYGON expects at least three vertices (an even number of at least 6 coordinates) but got {a.Count} argument(s)");
                return Numbers(name, a, v => Shapes.Polygon(v));
            }
            case "REGION":
            {
                Count(name, args, 1, 1);
                var text = args[0].Eval;
                if (args[0].IsConstant && args[0].Constant is string s && RegionText.TryParse(s) is null)
                    throw new AdqlSemanticException($"REGION('{s}') is not an ICRS POSITION, CIRCLE, BOX or POLYGON in STC-S");
                return Fold(new Compiled(row => text(row) is { } v ? RegionText.TryParse(ValueOps.ToText(v)) : null, ValueKind.Geometry), args);
            }
            case "CONTAINS" or "INTERSECTS":
            {
                Count(name, args, 2, 2);
                var contains = name == "CONTAINS";
                return Geometries(name, args, s => (contains ? Sphere.Contains(s[1], s[0]) : Sphere.Intersects(s[0], s[1])) ? 1L : 0L, ValueKind.Integer);
            }
            case "DISTANCE":
                if (args.Count == 4)
                {
                    RequireNumbers(name, args);
                    return Numbers(name, args, v => Shapes.Point(v[0], v[1]) is { } p && Shapes.Point(v[2], v[3]) is { } q ? Sphere.Distance(p, q) : null, ValueKind.Double, "deg");
                }
                Count(name, args, 2, 2);
                return Geometries(name, args, s => s[0] is SkyPoint p && s[1] is SkyPoint q
                    ? Sphere.Distance(p, q)
                    : null, ValueKind.Double, "deg");
            case "COORD1" or "COORD2":
            {
                Count(name, args, 1, 1);
                var first = name == "COORD1";
                return Geometries(name, args, s => s[0] is SkyPoint p
                    ? first ? p.Ra : p.Dec
                    : null, ValueKind.Double, "deg");
            }
            case "COORDSYS":
                Count(name, args, 1, 1);
                return Geometries(name, args, _ => "ICRS", ValueKind.String);
            case "AREA":
                Count(name, args, 1, 1);
                return Geometries(name, args, s => Sphere.Area(s[0]), ValueKind.Double, "deg**2");
            case "CENTROID":
                Count(name, args, 1, 1);
                return Geometries(name, args, s => Sphere.Centroid(s[0]));
            default:
                throw new AdqlSemanticException($"Unknown function {name}");
        }
    }

    /// <summary>A stored region or a computed shape as a shape; null when absent or unreadable.</summary>
    internal static Shape? AsShape(object? value) => value switch
    {
        Shape s => s,
        string text => RegionText.TryParse(text),
        _ => null,
    };

    /// <summary>Drops a leading coordinate-system literal (ADQL 2.0 requires it, 2.1 makes it optional), checking that it means ICRS.</summary>
    private static IReadOnlyList<Compiled> WithoutCoordSys(string name, IReadOnlyList<Compiled> args)
    {
        if (args.Count == 0 || args[0].Kind != ValueKind.String) return args;
        if (!args[0].IsConstant)
            throw new AdqlSemanticException($"{name}'s coordinate system must be a string literal such as 'ICRS'");
        var frame = (ValueOps.ToText(args[0].Constant ?? string.Empty)).Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (frame is not null && !IcrsLike.Contains(frame))
            throw new AdqlSemanticException($"{name}: coordinate system '{ValueOps.ToText(args[0].Constant!)}' is not supported; positions here are ICRS (give 'ICRS' or '')");
        return args.Skip(1).ToList();
    }

    private static void Count(string name, IReadOnlyList<Compiled> args, int min, int max)
    {
        if (args.Count < min || args.Count > max)
            throw new AdqlSemanticException($"Function {name} expects {(min == max ? min.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{min} to {max}")} argument(s) besides the coordinate system but got {args.Count}");
    }

    private static void RequireNumbers(string name, IEnumerable<Compiled> args)
    {
        foreach (var a in args) ExprCompiler.RequireNumeric(a, $"Function {name}");
    }

    private static void RequireGeometries(string name, IEnumerable<Compiled> args)
    {
        foreach (var a in args)
            if (a.Kind is not (ValueKind.Geometry or ValueKind.String or ValueKind.Unknown))
                throw new AdqlSemanticException($"Function {name} expects geometry arguments (POINT, CIRCLE, BOX, POLYGON, REGION or a region column)");
    }

    /// <summary>A function of numeric arguments; null when any is null.</summary>
    private static Compiled Numbers(string name, IReadOnlyList<Compiled> args, Func<double[], object?> body, ValueKind kind = ValueKind.Geometry, string? unit = null)
    {
        RequireNumbers(name, args);
        return OfEach<double>(args, ValueOps.TryNumber, body, kind, unit);
    }

    /// <summary>A function of geometry arguments; null when any is null or unreadable.</summary>
    private static Compiled Geometries(string name, IReadOnlyList<Compiled> args, Func<Shape[], object?> body, ValueKind kind = ValueKind.Geometry, string? unit = null)
    {
        RequireGeometries(name, args);
        return OfEach(args, (object? value, out Shape shape) => (shape = AsShape(value)!) is not null, body, kind, unit);
    }

    private delegate bool Reader<T>(object? value, out T result);

    /// <summary>Calls <paramref name="body"/> with every argument read as <typeparamref name="T"/>; null when one cannot be read.</summary>
    private static Compiled OfEach<T>(IReadOnlyList<Compiled> args, Reader<T> read, Func<T[], object?> body, ValueKind kind, string? unit)
    {
        var evals = args.Select(a => a.Eval).ToArray();
        return Fold(new Compiled(row =>
        {
            var values = new T[evals.Length];
            for (var i = 0; i < evals.Length; i++)
                if (!read(evals[i](row), out values[i])) return null;
            return body(values);
        }, kind) { Unit = unit }, args);
    }

    /// <summary>A function of a point followed by numbers (ADQL 2.1's CIRCLE(point, r), BOX(point, w, h)).</summary>
    private static Compiled PointAnd(string name, IReadOnlyList<Compiled> args, Func<SkyPoint, double[], object?> body)
    {
        RequireNumbers(name, args.Skip(1));
        var point = args[0].Eval;
        var evals = args.Skip(1).Select(a => a.Eval).ToArray();
        return Fold(new Compiled(row =>
        {
            if (AsShape(point(row)) is not { } shape) return null;
            if (shape is not SkyPoint p) return null;
            var values = new double[evals.Length];
            for (var i = 0; i < evals.Length; i++)
                if (!ValueOps.TryNumber(evals[i](row), out values[i])) return null;
            return body(p, values);
        }, ValueKind.Geometry), args);
    }

    private static Compiled Fold(Compiled compiled, IReadOnlyList<Compiled> args) => Compiled.Fold(compiled, [.. args]);
}
