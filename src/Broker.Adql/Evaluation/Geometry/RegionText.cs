using System.Globalization;

namespace Broker.Adql.Geometry;

/// <summary>A region read from text: its kind (<c>POSITION</c>, <c>CIRCLE</c>, <c>BOX</c> or <c>POLYGON</c>) and its numbers (degrees).</summary>
public sealed record RegionNumbers(string Kind, IReadOnlyList<double> Numbers);

/// <summary>
/// Reads a region stored as text: STC-S (<c>POSITION|CIRCLE|BOX|POLYGON [frame] [refpos] [flavor] numbers…</c>, the
/// form of TAP 1.0 ObsCore services and of ADQL's REGION) or a DALI array written as numbers (2: point, 3: circle,
/// 6 or more: polygon). Only ICRS-compatible frames (ICRS, FK5, J2000, none) are read: a region in another frame is
/// not a position the broker can compare, so it reads as unknown (null), as does any text it cannot read.
/// The one reader of region text: geometry evaluation and the DataLink cut-out hints both use it.
/// </summary>
public static class RegionText
{
    private static readonly HashSet<string> SkyFrames = new(StringComparer.OrdinalIgnoreCase) { "ICRS", "FK5", "J2000", "UNKNOWNFRAME" };

    private static readonly HashSet<string> Qualifiers = new(StringComparer.OrdinalIgnoreCase)
    {
        "GEOCENTER", "BARYCENTER", "HELIOCENTER", "TOPOCENTER", "LSR", "LSRK", "LSRD", "GALACTIC_CENTER", "LOCAL_GROUP_CENTER",
        "UNKNOWNREFPOS", "SPHERICAL2", "CARTESIAN2", "CARTESIAN3", "UNITSPHERE",
    };

    /// <summary>The kind and numbers of the region, or null when it is not a readable ICRS point, circle, box or polygon.</summary>
    public static RegionNumbers? Read(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var words = text.Split([' ', '\t', '\n', '\r', ','], StringSplitOptions.RemoveEmptyEntries);
        var kind = words[0].ToUpperInvariant();
        var at = 0;
        if (kind is "POSITION" or "POINT" or "CIRCLE" or "BOX" or "POLYGON")
        {
            at = 1;
            if (at < words.Length && !IsNumber(words[at]))
            {
                if (!SkyFrames.Contains(words[at])) return null;
                at++;
            }
            while (at < words.Length && Qualifiers.Contains(words[at])) at++;
        }
        else
        {
            kind = "DALI";
        }

        var numbers = new List<double>(words.Length - at);
        for (; at < words.Length; at++)
        {
            if (!double.TryParse(words[at].Trim('{', '}', '(', ')'), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
                return null;
            numbers.Add(v);
        }

        if (kind == "DALI") kind = numbers.Count switch { 2 => "POSITION", 3 => "CIRCLE", _ => "POLYGON" };
        if (kind == "POINT") kind = "POSITION";
        var fits = kind switch
        {
            "POSITION" => numbers.Count == 2,
            "CIRCLE" => numbers.Count == 3,
            "BOX" => numbers.Count == 4,
            _ => numbers.Count >= 6 && numbers.Count % 2 == 0,
        };
        return fits ? new RegionNumbers(kind, numbers) : null;
    }

    /// <summary>The shape the text describes, or null when it is not a readable ICRS point, circle, box or polygon.</summary>
    internal static Shape? TryParse(string? text)
    {
        if (Read(text) is not { Numbers: var n } region) return null;
        return region.Kind switch
        {
            "POSITION" => Shapes.Point(n[0], n[1]),
            "CIRCLE" => Shapes.Circle(n[0], n[1], n[2]),
            "BOX" => Shapes.Box(n[0], n[1], n[2], n[3]),
            _ => Shapes.Polygon(n),
        };
    }

    private static bool IsNumber(string word) => double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}

/// <summary>Builds shapes from ADQL arguments and checks them (degrees; a bad value is an <see cref="ArgumentException"/>).</summary>
internal static class Shapes
{
    public static SkyPoint? Point(double ra, double dec) =>
        double.IsFinite(ra) && dec is >= -90 and <= 90 ? new SkyPoint(Normalize(ra), dec) : null;

    public static SkyCircle? Circle(double ra, double dec, double radius) =>
        Point(ra, dec) is { } c && radius is >= 0 and <= 180 ? new SkyCircle(c, radius) : null;

    /// <summary>
    /// ADQL BOX: the centre and the full width and height (degrees). Its sides are great circles whose midpoints lie
    /// width/2 east–west and height/2 north–south of the centre (the gnomonic rectangle around the centre).
    /// </summary>
    public static SkyPolygon? Box(double ra, double dec, double width, double height)
    {
        if (Point(ra, dec) is not { } centre || width is not (> 0 and < 180) || height is not (> 0 and < 180)) return null;
        var c = centre.Vector;
        var east = Math.Abs(c.Z) > 1 - 1e-12 ? new Vec(0, 1, 0) : new Vec(0, 0, 1).Cross(c).Normalized();
        var north = c.Cross(east);
        var x = Math.Tan(width / 2 * Math.PI / 180);
        var y = Math.Tan(height / 2 * Math.PI / 180);
        // Counter-clockwise on the sky seen from outside: south-east, north-east, north-west, south-west is clockwise
        // seen from inside; orientation does not matter to the evaluator.
        Vec Corner(double dx, double dy) => (c + east.Scale(dx) + north.Scale(dy)).Normalized();
        return new SkyPolygon([SkyPoint.Of(Corner(-x, -y)), SkyPoint.Of(Corner(x, -y)), SkyPoint.Of(Corner(x, y)), SkyPoint.Of(Corner(-x, y))]);
    }

    /// <summary>A polygon from RA/Dec pairs: at least three distinct vertices, else null.</summary>
    public static SkyPolygon? Polygon(IReadOnlyList<double> coordinates)
    {
        var vertices = new List<SkyPoint>(coordinates.Count / 2);
        for (var i = 0; i + 1 < coordinates.Count; i += 2)
        {
            if (Point(coordinates[i], coordinates[i + 1]) is not { } p) return null;
            vertices.Add(p);
        }
        if (vertices.Count > 3 && vertices[0].Vector.AngleTo(vertices[^1].Vector) < 1e-15) vertices.RemoveAt(vertices.Count - 1); // closed ring
        return vertices.Count >= 3 ? new SkyPolygon(vertices) : null;
    }

    private static double Normalize(double ra)
    {
        var r = ra % 360;
        return r < 0 ? r + 360 : r;
    }
}
