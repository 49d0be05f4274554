using Broker.Core.Model;
using Broker.TapService.DataLink;
using Broker.VoTable;

namespace Broker.TapService.Tests;

public sealed class SkyHintsTests
{
    private static VoTableParam Input(string name, string? max = null) =>
        new(name, "double", name == "CIRCLE" ? "3" : "*", name.ToLowerInvariant(), "deg", null, null, "", null, null, null, max, []);

    private static VoTableResource Soda(params VoTableParam[] inputs) => new("s", null, "adhoc:service", null,
        [new VoTableParam("standardID", "char", "*", null, null, null, null, "ivo://ivoa.net/std/SODA#sync-1.0", null, null, null, null, [])],
        [new VoTableGroup("inputParams", null, inputs)]);

    private static string? Max(VoTableResource r, string name) => r.Groups[0].Params.Single(p => p.Name == name).Max;

    [Theory]
    [InlineData("POLYGON ICRS 1 2 3 4 5 6", "1 2 3 4 5 6")]
    [InlineData("1 2 3 4 5 6 7 8", "1 2 3 4 5 6 7 8")]
    [InlineData("POLYGON GALACTIC 1 2 3 4 5 6", null)]
    [InlineData("CIRCLE ICRS 1 2 3", null)]
    [InlineData("POLYGON ICRS 1 2 3 4", null)]
    public void Apply_PolygonBoundIsTheRecordsPolygonFootprint(string region, string? expected)
    {
        var hinted = SkyHints.Apply(Soda(Input("POLYGON")), new SkyCoverage { Region = region });

        Assert.Equal(expected, Max(hinted, "POLYGON"));
    }

    [Fact]
    public void Apply_CircleBoundIsCentreAndHalfTheFieldOfView_AndTheProvidersOwnBoundsStay()
    {
        var sky = new SkyCoverage { Ra = 10.5, Dec = -3.25, FovDeg = 0.9, Region = "CIRCLE ICRS 1 2 3" };

        Assert.Equal("10.5 -3.25 0.45", Max(SkyHints.Apply(Soda(Input("CIRCLE")), sky), "CIRCLE"));
        Assert.Equal("1 1 1", Max(SkyHints.Apply(Soda(Input("CIRCLE", "1 1 1")), sky), "CIRCLE"));
        Assert.Equal("1 2 3", Max(SkyHints.Apply(Soda(Input("CIRCLE")), sky with { Ra = null }), "CIRCLE"));
    }

    [Fact]
    public void Apply_OnlyToSodaDescriptors_AndDescribe_SaysOnlyWhatTheProviderGave()
    {
        var other = Soda(Input("CIRCLE")) with { Params = [] };
        Assert.Null(Max(SkyHints.Apply(other, new SkyCoverage { Ra = 1, Dec = 2, FovDeg = 3 }), "CIRCLE"));

        Assert.Null(SkyHints.Describe(new SkyCoverage()));
        Assert.Equal("field of view 0.96 deg (s_fov); 4096 x 4096 pixels (s_xel1, s_xel2)",
            SkyHints.Describe(new SkyCoverage { FovDeg = 0.96, Xel1 = 4096, Xel2 = 4096 }));
    }
}
