namespace Broker.Adql.Geometry;

/// <summary>
/// ADQL's geometry predicates and measures on the unit sphere: great-circle distance, containment, intersection,
/// area (square degrees) and centroid of points, circles (spherical caps) and polygons (great-circle edges).
/// </summary>
internal static class Sphere
{
    private const double Deg = 180 / Math.PI;

    /// <summary>Tolerance of boundary tests, in radians (about 2e-8 arcsec): a point on an edge counts as inside.</summary>
    private const double Epsilon = 1e-13;

    /// <summary>Great-circle distance in degrees.</summary>
    public static double Distance(SkyPoint a, SkyPoint b) => a.Vector.AngleTo(b.Vector) * Deg;

    /// <summary>ADQL CONTAINS: true when <paramref name="inner"/> lies entirely within <paramref name="outer"/>.</summary>
    public static bool Contains(Shape outer, Shape inner) => (inner, outer) switch
    {
        (SkyPoint p, SkyPoint q) => p.Vector.AngleTo(q.Vector) <= Epsilon,
        (_, SkyPoint) => false,
        (SkyPoint p, SkyCircle c) => InCircle(p.Vector, c),
        (SkyPoint p, SkyPolygon g) => InPolygon(p.Vector, g),
        (SkyCircle a, SkyCircle b) => a.Center.Vector.AngleTo(b.Center.Vector) + Rad(a.Radius) <= Rad(b.Radius) + Epsilon,
        (SkyCircle a, SkyPolygon g) => InPolygon(a.Center.Vector, g) && EdgesOf(g).All(e => ArcDistance(a.Center.Vector, e.A, e.B) + Epsilon >= Rad(a.Radius)),
        (SkyPolygon g, SkyCircle c) => g.Vectors.All(v => InCircle(v, c)),
        (SkyPolygon a, SkyPolygon b) => a.Vectors.All(v => InPolygon(v, b)) && !EdgesCross(a, b, touching: false),
        _ => false,
    };

    /// <summary>ADQL INTERSECTS: true when the two shapes share at least one point.</summary>
    public static bool Intersects(Shape a, Shape b) => (a, b) switch
    {
        (SkyPoint, _) => Contains(b, a),
        (_, SkyPoint) => Contains(a, b),
        (SkyCircle x, SkyCircle y) => x.Center.Vector.AngleTo(y.Center.Vector) <= Rad(x.Radius) + Rad(y.Radius) + Epsilon,
        (SkyCircle c, SkyPolygon g) => CircleMeetsPolygon(c, g),
        (SkyPolygon g, SkyCircle c) => CircleMeetsPolygon(c, g),
        (SkyPolygon x, SkyPolygon y) => x.Vectors.Any(v => InPolygon(v, y)) || y.Vectors.Any(v => InPolygon(v, x)) || EdgesCross(x, y, touching: true),
        _ => false,
    };

    /// <summary>ADQL AREA in square degrees (0 for a point).</summary>
    public static double Area(Shape shape) => shape switch
    {
        SkyCircle c => 2 * Math.PI * (1 - Math.Cos(Rad(c.Radius))) * Deg * Deg,
        SkyPolygon g => Math.Abs(g.SignedArea) * Deg * Deg,
        _ => 0,
    };

    /// <summary>ADQL CENTROID: the point itself, the circle's centre, the area-weighted centre of a polygon.</summary>
    public static SkyPoint Centroid(Shape shape)
    {
        switch (shape)
        {
            case SkyPoint p:
                return p;
            case SkyCircle c:
                return c.Center;
            default:
                var g = (SkyPolygon)shape;
                var v = g.Vectors;
                var sum = new Vec(0, 0, 0);
                for (var i = 1; i + 1 < v.Length; i++)
                {
                    var centre = (v[0] + v[i] + v[i + 1]).Normalized();
                    sum += centre.Scale(TriangleArea(v[0], v[i], v[i + 1]));
                }
                // Signed weights: a clockwise polygon sums to the opposite direction.
                if (g.SignedArea < 0) sum = sum.Scale(-1);
                return sum.Length == 0 ? SkyPoint.Of((v.Aggregate(new Vec(0, 0, 0), (a, b) => a + b)).Normalized()) : SkyPoint.Of(sum.Normalized());
        }
    }

    private static double Rad(double degrees) => degrees / Deg;

    private static bool InCircle(Vec p, SkyCircle c) => p.AngleTo(c.Center.Vector) <= Rad(c.Radius) + Epsilon;

    /// <summary>
    /// Winding test: the edges, seen from <paramref name="p"/>, turn once around it exactly when p is inside the smaller
    /// region the boundary encloses. A point on an edge counts as inside.
    /// </summary>
    public static bool InPolygon(Vec p, SkyPolygon g)
    {
        var v = g.Vectors;
        var winding = 0.0;
        for (var i = 0; i < v.Length; i++)
        {
            var a = v[i];
            var b = v[(i + 1) % v.Length];
            if (ArcDistance(p, a, b) <= Epsilon) return true;
            var ta = a - p.Scale(a.Dot(p));
            var tb = b - p.Scale(b.Dot(p));
            winding += Math.Atan2(p.Dot(ta.Cross(tb)), ta.Dot(tb));
        }
        // The boundary winds around p when p and its antipode lie in different regions; p's is the polygon when the
        // boundary turns around p the way the polygon's own vertices turn (seen from outside the sphere).
        return Math.Abs(winding) > Math.PI && Math.Sign(winding) == Math.Sign(g.SignedArea);
    }

    /// <summary>Signed area in steradians: positive when the vertices run counter-clockwise seen from outside the sphere.</summary>
    public static double SignedArea(Vec[] v)
    {
        var sum = 0.0;
        for (var i = 1; i + 1 < v.Length; i++) sum += TriangleArea(v[0], v[i], v[i + 1]);
        return sum;
    }

    /// <summary>Signed area of a spherical triangle (Van Oosterom and Strackee).</summary>
    private static double TriangleArea(Vec a, Vec b, Vec c) =>
        2 * Math.Atan2(a.Dot(b.Cross(c)), 1 + a.Dot(b) + b.Dot(c) + c.Dot(a));

    private static IEnumerable<(Vec A, Vec B)> EdgesOf(SkyPolygon g) =>
        g.Vectors.Select((v, i) => (v, g.Vectors[(i + 1) % g.Vectors.Length]));

    /// <summary>The angular distance (radians) from p to the great-circle arc from a to b (the shorter arc).</summary>
    private static double ArcDistance(Vec p, Vec a, Vec b)
    {
        var n = a.Cross(b);
        if (n.Length < 1e-15) return p.AngleTo(a);
        n = n.Normalized();
        // The foot of the perpendicular lies on the arc when it is on the a side of b and the b side of a.
        var foot = p - n.Scale(p.Dot(n));
        if (foot.Length > 1e-15 && a.Cross(foot).Dot(n) >= 0 && foot.Cross(b).Dot(n) >= 0)
            return Math.Abs(Math.Asin(Math.Clamp(p.Dot(n), -1, 1)));
        return Math.Min(p.AngleTo(a), p.AngleTo(b));
    }

    private static bool OnArc(Vec x, Vec a, Vec b, Vec n) => a.Cross(x).Dot(n) >= -Epsilon && x.Cross(b).Dot(n) >= -Epsilon;

    /// <summary>
    /// True when two great-circle arcs share a point; with <paramref name="touching"/> false, only when they cross away
    /// from every endpoint (an edge of a polygon inside another may end on the outer boundary).
    /// </summary>
    private static bool ArcsCross(Vec a, Vec b, Vec c, Vec d, bool touching)
    {
        var n1 = a.Cross(b);
        var n2 = c.Cross(d);
        var line = n1.Cross(n2);
        if (line.Length < 1e-15) return false; // on one great circle: overlapping arcs share vertices, which the vertex tests see
        line = line.Normalized();
        foreach (var x in new[] { line, line.Scale(-1) })
        {
            if (!OnArc(x, a, b, n1) || !OnArc(x, c, d, n2)) continue;
            if (touching || new[] { a, b, c, d }.All(v => v.AngleTo(x) > 1e-9)) return true;
        }
        return false;
    }

    private static bool EdgesCross(SkyPolygon x, SkyPolygon y, bool touching) =>
        EdgesOf(x).Any(e => EdgesOf(y).Any(f => ArcsCross(e.A, e.B, f.A, f.B, touching)));

    private static bool CircleMeetsPolygon(SkyCircle c, SkyPolygon g) =>
        InPolygon(c.Center.Vector, g) || EdgesOf(g).Any(e => ArcDistance(c.Center.Vector, e.A, e.B) <= Rad(c.Radius) + Epsilon);
}
