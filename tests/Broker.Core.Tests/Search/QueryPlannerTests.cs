using Broker.Core.Model;
using Broker.Core.Providers;
using Broker.Core.Search;

namespace Broker.Core.Tests.Search;

public class QueryPlannerTests
{
    private static readonly TimeRange Day = new(new DateTimeOffset(2022, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2022, 1, 2, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void WhyNot_ProviderNameMatchesCaseInsensitively()
    {
        var caps = new ProviderCapabilities { Providers = ["SOAR"] };
        Assert.Null(QueryPlanner.WhyNot("soar-tap", caps, new QueryBlock { Time = Day, Provider = "soar" }, out _));
        Assert.NotNull(QueryPlanner.WhyNot("soar-tap", caps, new QueryBlock { Time = Day, Provider = "JSOC" }, out _));
    }

    [Fact]
    public void WhyNot_BlockOutsideCoverage_Skips()
    {
        var caps = new ProviderCapabilities { CoverageStart = new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero) };
        Assert.Contains("no data before", QueryPlanner.WhyNot("p", caps, new QueryBlock { Time = Day }, out _));
    }

    [Fact]
    public void WhyNot_AttributeNotFilterableNorPostFilterable_Skips()
    {
        Assert.Equal("cannot filter on pixels", QueryPlanner.WhyNot("p", new ProviderCapabilities(), new QueryBlock { Time = Day, Pixels = "1024" }, out _));
    }

    [Fact]
    public void WhyNot_DeclaredFilter_IsNotPostFiltered()
    {
        var caps = new ProviderCapabilities { Filters = new HashSet<QueryAttribute> { QueryAttribute.Detector } };
        Assert.Null(QueryPlanner.WhyNot("p", caps, new QueryBlock { Time = Day, Detector = "HRI", Level = "2" }, out var post));
        Assert.Equal([QueryAttribute.Level], post);
    }
}
