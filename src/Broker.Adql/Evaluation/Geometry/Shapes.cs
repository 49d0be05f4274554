using System.Globalization;
using System.Text;

namespace Broker.Adql.Geometry;

/// <summary>A unit vector on the celestial sphere (ICRS): x towards RA 0 on the equator, z towards the north pole.</summary>
internal readonly record struct Vec(double X, double Y, double Z)
{
    public static Vec FromRaDec(double raDeg, double decDeg)
    {
        var ra = raDeg * Math.PI / 180;
        var dec = decDeg * Math.PI / 180;
        return new Vec(Math.Cos(dec) * Math.Cos(ra), Math.Cos(dec) * Math.Sin(ra), Math.Sin(dec));
    }

    /// <summary>Right ascension in [0, 360) degrees (0 at the poles).</summary>
    public double Ra
    {
        get
        {
            if (X == 0 && Y == 0) return 0;
            var ra = Math.Atan2(Y, X) * 180 / Math.PI;
            return ra < 0 ? ra + 360 : ra;
        }
    }

    /// <summary>Declination in [-90, 90] degrees.</summary>
    public double Dec => Math.Atan2(Z, Math.Sqrt(X * X + Y * Y)) * 180 / Math.PI;

    public double Dot(Vec o) => X * o.X + Y * o.Y + Z * o.Z;

    public Vec Cross(Vec o) => new(Y * o.Z - Z * o.Y, Z * o.X - X * o.Z, X * o.Y - Y * o.X);

    public double Length => Math.Sqrt(X * X + Y * Y + Z * Z);

    public Vec Normalized() => Scale(1 / Length);

    public Vec Scale(double f) => new(X * f, Y * f, Z * f);

    public static Vec operator +(Vec a, Vec b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);

    public static Vec operator -(Vec a, Vec b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);

    /// <summary>The angle between two unit vectors in radians (atan2 form: exact for tiny and near-antipodal angles).</summary>
    public double AngleTo(Vec o) => Math.Atan2(Cross(o).Length, Dot(o));
}

/// <summary>An ADQL geometry value: a point, a circle or a polygon on the sphere, in ICRS degrees.</summary>
internal abstract record Shape
{
    /// <summary>The shape in STC-S (<c>POSITION ICRS 10 20</c>, <c>CIRCLE ICRS 10 20 1</c>, <c>POLYGON ICRS …</c>): how geometry values are output.</summary>
    public abstract string ToStcs();

    public sealed override string ToString() => ToStcs();

    protected static string Num(double v) => Math.Round(v, 12).ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>A position.</summary>
internal sealed record SkyPoint(double Ra, double Dec) : Shape
{
    public Vec Vector { get; } = Vec.FromRaDec(Ra, Dec);

    public static SkyPoint Of(Vec v) => new(v.Ra, v.Dec);

    public override string ToStcs() => "POSITION ICRS " + Num(Ra) + " " + Num(Dec);
}

/// <summary>A spherical cap: every point within <see cref="Radius"/> degrees of the centre.</summary>
internal sealed record SkyCircle(SkyPoint Center, double Radius) : Shape
{
    public override string ToStcs() => "CIRCLE ICRS " + Num(Center.Ra) + " " + Num(Center.Dec) + " " + Num(Radius);
}

/// <summary>
/// A polygon whose edges are great-circle arcs between consecutive vertices. Whatever the order of its vertices, it
/// is the smaller of the two regions its boundary separates (the broker's reading; every footprint of this field is
/// far smaller than a hemisphere).
/// </summary>
internal sealed record SkyPolygon : Shape
{
    public SkyPolygon(IReadOnlyList<SkyPoint> vertices)
    {
        Vertices = vertices;
        Vectors = vertices.Select(v => v.Vector).ToArray();
        SignedArea = Sphere.SignedArea(Vectors);
    }

    /// <summary>Area in steradians, positive when the vertices run counter-clockwise on the sky seen from outside the sphere.</summary>
    public double SignedArea { get; }

    public IReadOnlyList<SkyPoint> Vertices { get; }

    public Vec[] Vectors { get; }

    public override string ToStcs()
    {
        var text = new StringBuilder("POLYGON ICRS");
        foreach (var v in Vertices) text.Append(' ').Append(Num(v.Ra)).Append(' ').Append(Num(v.Dec));
        return text.ToString();
    }

    public bool Equals(SkyPolygon? other) => other is not null && Vertices.SequenceEqual(other.Vertices);

    public override int GetHashCode() => Vertices.Count;
}
