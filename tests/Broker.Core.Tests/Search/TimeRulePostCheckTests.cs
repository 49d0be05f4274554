using Broker.Core.Model;
using Broker.Core.Providers;
using Broker.Core.Search;
using static Broker.Core.Tests.Search.EngineHarness;

namespace Broker.Core.Tests.Search;

/// <summary>The broker's own check of returned records applies the same time rule as the providers' ADQL.</summary>
public sealed class TimeRulePostCheckTests
{
    private static readonly DateTimeOffset S = T0, T = T0.AddDays(1);
    private static readonly TimeSpan H = TimeSpan.FromHours(1);

    private static DataRecord R(string id, DateTimeOffset begin, DateTimeOffset? end) =>
        new() { Provider = "a", FileId = id, Start = begin, End = end };

    private static readonly DataRecord[] Edges =
    [
        R("ends-at-start", S - H, S), R("crosses-start", S - H, S + H), R("zero-at-start", S, S), R("zero-inside", S + H, S + H),
        R("crosses-end", T - H, T + H), R("zero-at-end", T, T), R("starts-at-end", T, T + H), R("no-end-at-start", S, null),
    ];

    [Theory]
    [InlineData(0, 24, "crosses-end,crosses-start,no-end-at-start,zero-at-start,zero-inside")]
    [InlineData(0, 0, "crosses-start")]
    [InlineData(24, 24, "crosses-end,starts-at-end")]
    [InlineData(1, 1, "")]
    public async Task SearchAsync_ProviderIgnoringTime_RecordsAreCheckedWithTheRule(int fromHour, int toHour, string expected)
    {
        var h = new EngineHarness(Yaml(Entry("a")));
        h["a"].Behaviour = (_, _) => Task.FromResult(new ProviderAnswer(Edges));
        var range = new TimeRange(S.AddHours(fromHour), S.AddHours(toHour));

        var result = await h.Engine.SearchAsync(new SearchRequest { Query = NormalizedQuery.Single(new QueryBlock { Time = range }) }, default);

        Assert.Equal(expected, string.Join(",", result.Records.Select(r => r.FileId).Order(StringComparer.Ordinal)));
        Assert.All(result.Records, r => Assert.True(TimeRule.Matches(range, r.Start!.Value, r.End)));
    }
}
