using Broker.Adql;
using Broker.TapService.Query;
using Broker.TapService.Schema;

namespace Broker.TapService.Tests;

public sealed class FanOutPlannerTests
{
    private static readonly FanOutPlanner Planner = new(16);

    private static FanOutPlan Plan(TapTable table, string where) =>
        Planner.Plan(table, AdqlParser.Parse($"SELECT * FROM {table.Name} AS t WHERE {where}").Where, new HashSet<string>(["t", table.Name, table.BareName], StringComparer.OrdinalIgnoreCase));

    [Fact]
    public void TimeBoundsOnEitherColumn_BecomeTheBlockRange()
    {
        var plan = Plan(RecordTables.Records, "time_end >= '2022-03-21T08:00:00' AND t.time_start <= '2022-03-21T09:00:00' AND instrument = 'EUI'");

        var block = Assert.Single(plan.Blocks);
        Assert.Equal("2022-03-21T07:59:59.999Z", block.Input.Start);
        Assert.Equal("2022-03-21T09:00:00.001Z", block.Input.End);
        Assert.Equal("EUI", block.Input.Instrument);
        Assert.Equal(0, plan.UnboundedBlocks);
    }

    [Fact]
    public void OrAndIn_ExpandIntoOneBlockPerBranch()
    {
        var plan = Plan(RecordTables.Records,
            "time_end >= '2022-03-21' AND time_start <= '2022-03-22' AND (instrument IN ('AIA', 'HMI') OR (wavemin <= 180 AND wavemax >= 170))");

        Assert.Equal(3, plan.Blocks.Count);
        Assert.Equal(["AIA", "HMI", null], plan.Blocks.Select(b => b.Input.Instrument));
        var wave = plan.Blocks[2].Input;
        Assert.Equal(("170", "180", "Angstrom"), (wave.WaveMin, wave.WaveMax, wave.WaveUnit));
    }

    [Fact]
    public void ObsCoreMjdAndMetres_ConvertToUtcAndAngstrom()
    {
        var plan = Plan(RecordTables.ObsCore, "t_max >= 59659.0 AND t_min <= 59659.5 AND em_min <= 1.8e-8 AND obs_collection = 'sdo'");

        var block = Assert.Single(plan.Blocks);
        Assert.Equal("2022-03-20T23:59:59.999Z", block.Input.Start);
        Assert.Equal("2022-03-21T12:00:00.001Z", block.Input.End);
        Assert.Equal(180, double.Parse(block.Input.WaveMax!, System.Globalization.CultureInfo.InvariantCulture), 6);
        Assert.Equal(["sdo"], plan.OnlyProviders!);
    }

    [Fact]
    public void ProviderOnOnlySomeBranches_AsksEveryProvider()
    {
        var plan = Plan(RecordTables.Records, "time_end >= '2022-03-21' AND time_start <= '2022-03-22' AND (provider = 'soar' OR instrument = 'AIA')");

        Assert.Null(plan.OnlyProviders);
    }

    [Fact]
    public void BranchWithoutUpperBound_IsCountedUnbounded()
    {
        var plan = Plan(RecordTables.Records, "time_start >= '2022-03-21' OR (time_end >= '2022-03-21' AND time_start <= '2022-03-22')");

        Assert.Equal(2, plan.Blocks.Count);
        Assert.Equal(1, plan.UnboundedBlocks);
    }

    [Theory]
    [InlineData("calib_level IS NULL")]
    [InlineData("calib_level NOT BETWEEN 0 AND 3")]
    [InlineData("calib_level > 3")]
    [InlineData("access_format NOT IN ('application/x-votable+xml;content=datalink')")]
    [InlineData("t_min >= 59660 AND t_max <= 59659")]
    public void ConditionContradictingTheColumnDomain_MatchesNothing(string where)
    {
        Assert.True(Plan(RecordTables.ObsCore, where).MatchesNothing);
    }

    [Fact]
    public void ConditionTheDomainAllows_IsKept()
    {
        Assert.False(Plan(RecordTables.ObsCore, "calib_level BETWEEN 1 AND 2").MatchesNothing);
        Assert.False(Plan(RecordTables.ObsCore, "dataproduct_type IS NULL").MatchesNothing);
    }

    [Fact]
    public void TooManyBranches_IsAClearError()
    {
        var values = string.Join(", ", Enumerable.Range(0, 17).Select(i => $"'I{i}'"));
        var ex = Assert.Throws<TapQueryException>(() => Plan(RecordTables.Records, $"instrument IN ({values})"));
        Assert.Contains("at most 16", ex.Message);
    }
}
