namespace Broker.Adql.Tests.Evaluation;

/// <summary>
/// ADQL geometry on the sphere. Expected values are worked by hand (spherical law of cosines, cap and triangle areas,
/// the latitude a great-circle edge reaches between two vertices: atan(tan(lat) / cos(half the longitude gap))).
/// </summary>
public class EvaluatorGeometryTests
{
    private static readonly AdqlColumn[] SkyColumns =
    [
        new("id", "long"), new("ra", "double", Unit: "deg"), new("dec", "double", Unit: "deg"), new("region", "char", "*", "adql:REGION"),
    ];

    private static AdqlEvaluator Evaluator() => new(new InMemoryCatalog().Add(new InMemoryTable("sky", "obs", SkyColumns,
    [
        [1L, 359.9, 0.0, "POLYGON ICRS 359.5 -0.5 0.5 -0.5 0.5 0.5 359.5 0.5"],
        [2L, 0.3, 0.1, "CIRCLE ICRS 0.3 0.1 0.2"],
        [3L, 180.0, 0.0, "180 0 0.5"],
        [4L, 45.0, 89.5, "Polygon ICRS TOPOCENTER 0 89 90 89 180 89 270 89"],
        [5L, null, null, null],
        [6L, 10.0, 20.0, "POLYGON GALACTIC 10 20 11 20 11 21"],
    ])));

    private static object? Value(string expression) => Evaluator().Execute("SELECT " + expression + " FROM sky.obs WHERE id = 1").ReadAll()[0][0];

    private static double Number(string expression) => Assert.IsType<double>(Value(expression));

    private static long[] Ids(string condition) =>
        Evaluator().Execute("SELECT id FROM sky.obs WHERE " + condition + " ORDER BY id").ReadAll().Select(r => (long)r[0]!).ToArray();

    [Theory]
    [InlineData("DISTANCE(POINT('ICRS', 0, 0), POINT('ICRS', 90, 0))", 90.0)]
    [InlineData("DISTANCE(POINT('ICRS', 359.5, 0), POINT('ICRS', 0.5, 0))", 1.0)] // across RA 0/360
    [InlineData("DISTANCE(POINT('ICRS', 0, 89), POINT('ICRS', 180, 89))", 2.0)] // over the pole
    [InlineData("DISTANCE(POINT('ICRS', 10, 20), POINT('ICRS', 11, 21))", 1.3701534390589136)]
    [InlineData("DISTANCE(10, 20, 11, 21)", 1.3701534390589136)] // ADQL 2.1 four-number form
    [InlineData("DISTANCE(POINT(10, 20), POINT(10, 20))", 0.0)] // ADQL 2.1: no coordinate system
    [InlineData("DISTANCE(POINT('ICRS', 0, -90), POINT('ICRS', 123, 90))", 180.0)]
    public void Distance_GreatCircleDegrees(string expression, double expected) => Assert.Equal(expected, Number(expression), 9);

    [Theory]
    [InlineData("AREA(CIRCLE('ICRS', 0, 0, 1))", 3.1415129057449094)] // 2π(1 − cos 1°) sr in deg²
    [InlineData("AREA(POLYGON('ICRS', 0, 0, 90, 0, 0, 90))", 5156.62015617741)] // an octant: 4π/8 sr
    [InlineData("AREA(POLYGON('ICRS', 0, 90, 90, 0, 0, 0))", 5156.62015617741)] // the same, clockwise
    [InlineData("AREA(POINT('ICRS', 1, 2))", 0.0)]
    [InlineData("COORD1(CENTROID(POLYGON('ICRS', 0, 0, 90, 0, 0, 90)))", 45.0)]
    [InlineData("COORD2(CENTROID(POLYGON('ICRS', 0, 0, 90, 0, 0, 90)))", 35.26438968275466)] // asin(1/√3)
    [InlineData("COORD1(CENTROID(CIRCLE('ICRS', 10, 20, 1)))", 10.0)]
    [InlineData("COORD2(POINT('ICRS', 10, -20))", -20.0)]
    [InlineData("COORD1(POINT('ICRS', -10, 0))", 350.0)]
    [InlineData("COORD1(CENTROID(region))", 0.0)] // the footprint across RA 0 is centred on 0, not on 180
    public void Measures(string expression, double expected) => Assert.Equal(expected, Number(expression), 9);

    [Theory]
    [InlineData("CONTAINS(POINT('ICRS', 359.9, 0), CIRCLE('ICRS', 0.1, 0, 0.25))", 1L)] // 0.2° apart across RA 0
    [InlineData("CONTAINS(POINT('ICRS', 359.9, 0), CIRCLE('ICRS', 0.1, 0, 0.15))", 0L)]
    [InlineData("CONTAINS(POINT('ICRS', 0, 89.5), CIRCLE('ICRS', 180, 89.5, 1.01))", 1L)] // 1° apart over the pole
    [InlineData("CONTAINS(POINT('ICRS', 0, 89.5), CIRCLE('ICRS', 180, 89.5, 0.99))", 0L)]
    [InlineData("CONTAINS(POINT('ICRS', 15, 15), POLYGON('ICRS', 10, 10, 20, 10, 20, 20, 10, 20))", 1L)]
    [InlineData("CONTAINS(POINT('ICRS', 15, 15), POLYGON('ICRS', 10, 20, 20, 20, 20, 10, 10, 10))", 1L)] // clockwise
    [InlineData("CONTAINS(POINT('ICRS', 25, 15), POLYGON('ICRS', 10, 10, 20, 10, 20, 20, 10, 20))", 0L)]
    [InlineData("CONTAINS(POINT('ICRS', 195, -15), POLYGON('ICRS', 10, 10, 20, 10, 20, 20, 10, 20))", 0L)] // the antipode
    [InlineData("CONTAINS(POINT('ICRS', 0, 0), POLYGON('ICRS', 358, -1, 2, -1, 2, 1, 358, 1))", 1L)] // across RA 0
    [InlineData("CONTAINS(POINT('ICRS', 3, 0), POLYGON('ICRS', 358, -1, 2, -1, 2, 1, 358, 1))", 0L)]
    [InlineData("CONTAINS(POINT('ICRS', 180, 0), POLYGON('ICRS', 358, -1, 2, -1, 2, 1, 358, 1))", 0L)]
    [InlineData("CONTAINS(POINT('ICRS', 45, 83.5), POLYGON('ICRS', 0, 80, 90, 80, 180, 80, 270, 80))", 1L)] // round the pole; edges reach 82.89°
    [InlineData("CONTAINS(POINT('ICRS', 45, 82.5), POLYGON('ICRS', 0, 80, 90, 80, 180, 80, 270, 80))", 0L)]
    [InlineData("CONTAINS(POINT('ICRS', 0, 81), POLYGON('ICRS', 0, 80, 90, 80, 180, 80, 270, 80))", 1L)]
    [InlineData("CONTAINS(POINT('ICRS', 0.99, 0), BOX('ICRS', 0, 0, 2, 2))", 1L)]
    [InlineData("CONTAINS(POINT('ICRS', 1.01, 0), BOX('ICRS', 0, 0, 2, 2))", 0L)]
    [InlineData("CONTAINS(POINT('ICRS', 359.2, 0.5), BOX('ICRS', 0, 0, 2, 2))", 1L)]
    [InlineData("CONTAINS(CIRCLE('ICRS', 15, 15, 1), POLYGON('ICRS', 10, 10, 20, 10, 20, 20, 10, 20))", 1L)]
    [InlineData("CONTAINS(CIRCLE('ICRS', 15, 19.5, 1), POLYGON('ICRS', 10, 10, 20, 10, 20, 20, 10, 20))", 0L)]
    [InlineData("CONTAINS(POLYGON('ICRS', 14, 14, 16, 14, 16, 16, 14, 16), CIRCLE('ICRS', 15, 15, 1.5))", 1L)]
    [InlineData("CONTAINS(POLYGON('ICRS', 14, 14, 16, 14, 16, 16, 14, 16), CIRCLE('ICRS', 15, 15, 1.3))", 0L)] // corners 1.41° out
    [InlineData("CONTAINS(CIRCLE('ICRS', 0, 0, 1), CIRCLE('ICRS', 359.5, 0, 1.6))", 1L)]
    [InlineData("CONTAINS(CIRCLE('ICRS', 0, 0, 1), CIRCLE('ICRS', 359.5, 0, 1.4))", 0L)]
    [InlineData("CONTAINS(POLYGON('ICRS', 0, -1, 10, -1, 10, 1, 0, 1), POLYGON('ICRS', 4, -5, 6, -5, 6, 5, 4, 5))", 0L)]
    [InlineData("CONTAINS(POLYGON('ICRS', 4, -1, 6, -1, 6, 1, 4, 1), POLYGON('ICRS', 4, -5, 6, -5, 6, 5, 4, 5))", 1L)]
    [InlineData("INTERSECTS(CIRCLE('ICRS', 0, 0, 1), CIRCLE('ICRS', 1.5, 0, 0.6))", 1L)]
    [InlineData("INTERSECTS(CIRCLE('ICRS', 0, 0, 1), CIRCLE('ICRS', 1.5, 0, 0.4))", 0L)]
    [InlineData("INTERSECTS(POLYGON('ICRS', 10, 10, 20, 10, 20, 20, 10, 20), CIRCLE('ICRS', 15, 21, 1.5))", 1L)] // the edge bulges to 20.07°
    [InlineData("INTERSECTS(POLYGON('ICRS', 10, 10, 20, 10, 20, 20, 10, 20), CIRCLE('ICRS', 15, 22, 1.5))", 0L)]
    [InlineData("INTERSECTS(POLYGON('ICRS', 0, -1, 10, -1, 10, 1, 0, 1), POLYGON('ICRS', 4, -5, 6, -5, 6, 5, 4, 5))", 1L)] // a cross: no vertex inside the other
    [InlineData("INTERSECTS(POLYGON('ICRS', 0, -1, 10, -1, 10, 1, 0, 1), POLYGON('ICRS', 14, -5, 16, -5, 16, 5, 14, 5))", 0L)]
    [InlineData("INTERSECTS(POINT('ICRS', 15, 15), POLYGON('ICRS', 10, 10, 20, 10, 20, 20, 10, 20))", 1L)]
    [InlineData("CONTAINS(POINT('ICRS', 10, 20), REGION('CIRCLE ICRS 10.5 20 0.6'))", 1L)]
    [InlineData("CONTAINS(POINT(10, 20), CIRCLE(POINT(10.5, 20), 0.4))", 0L)] // ADQL 2.1 forms
    public void Predicates(string expression, long expected) => Assert.Equal(expected, Value(expression));

    [Fact]
    public void RegionColumn_StcsAndDaliTextAreRead_NullAndOtherFramesAreUnknown()
    {
        // Rows 1-4 hold an STC-S polygon across RA 0, an STC-S circle, a DALI circle and a polygon round the pole.
        Assert.Equal([1L, 2L], Ids("CONTAINS(POINT('ICRS', 0.2, 0.2), region) = 1"));
        Assert.Equal([3L], Ids("CONTAINS(POINT('ICRS', 179.7, 0.2), region) = 1"));
        Assert.Equal([4L], Ids("CONTAINS(POINT('ICRS', 200, 89.9), region) = 1"));
        // A null region and a galactic one are neither inside nor outside.
        Assert.Equal([2L, 3L, 4L], Ids("CONTAINS(POINT('ICRS', 0.4, 0.4), region) = 0")); // 0.316° from row 2's centre
        Assert.Equal([1L, 2L, 3L, 4L], Ids("INTERSECTS(CIRCLE('ICRS', 0, 0, 180), region) = 1"));
    }

    [Fact]
    public void PositionColumns_DistanceAndContainment_NullPositionsMatchNeither()
    {
        Assert.Equal([1L, 2L], Ids("CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 0, 0, 0.5)) = 1"));
        Assert.Equal([3L, 4L, 6L], Ids("CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 0, 0, 0.5)) = 0"));
        Assert.Equal([1L, 2L], Ids("DISTANCE(POINT('ICRS', ra, dec), POINT('ICRS', 0.1, 0)) < 0.25"));
        var sorted = Evaluator().Execute("SELECT id, DISTANCE(POINT('ICRS', ra, dec), POINT('ICRS', 0, 0)) AS d FROM sky.obs ORDER BY d").ReadAll();
        Assert.Equal([1L, 2L], sorted.Take(2).Select(r => (long)r[0]!));
        Assert.Contains(sorted, r => (long)r[0]! == 5 && r[1] is null);
    }

    [Fact]
    public void Shapes_AreOutputAsStcs()
    {
        var result = Evaluator().Execute("SELECT POINT('ICRS', 10, 20) AS p, CIRCLE('ICRS', 370, -5, 0.5), COORDSYS(POINT('ICRS', 1, 2)), region FROM sky.obs WHERE id = 2");

        Assert.Equal(new AdqlColumn("p", "char", "*", "adql:REGION"), result.Columns[0]);
        Assert.Equal(new object?[] { "POSITION ICRS 10 20", "CIRCLE ICRS 10 -5 0.5", "ICRS", "CIRCLE ICRS 0.3 0.1 0.2" }, result.ReadAll()[0]);
    }

    [Theory]
    [InlineData("POINT('GALACTIC', 1, 2)", "coordinate system 'GALACTIC'")]
    [InlineData("POLYGON('ICRS', 1, 2, 3, 4)", "at least three vertices")]
    [InlineData("CIRCLE('ICRS', 1, 2)", "CIRCLE expects 3")]
    [InlineData("CONTAINS(POINT('ICRS', 1, 2), 3)", "geometry arguments")]
    [InlineData("POINT('ICRS', 'a', 2)", "POINT")]
    [InlineData("REGION('ELLIPSE ICRS 1 2 3 4 5')", "not an ICRS")]
    [InlineData("POINT(1, 2) + 1", "+")]
    public void BadCalls_AreSemanticErrors(string expression, string message)
    {
        var ex = Assert.Throws<AdqlSemanticException>(() => Evaluator().Execute("SELECT " + expression + " FROM sky.obs"));
        Assert.Contains(message, ex.Message);
    }
}
