using Broker.Core.Model;
using Broker.Core.Search;

namespace Broker.Core.Tests.Search;

public class ResultMergerTests
{
    private static readonly DateTimeOffset T = new(2022, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Merge_RecordsWithoutStart_ComeLast_ThenProviderThenFileId()
    {
        var outcome = new ProviderOutcome
        {
            ProviderId = "x", Status = ProviderStatus.Ok,
            Records = [R("b", "1", null), R("b", "2", T), R("a", "9", T), R("a", "1", T.AddSeconds(-1))],
        };
        var (records, _, _) = ResultMerger.Merge([outcome], 100);
        Assert.Equal(["a/1", "a/9", "b/2", "b/1"], records.Select(r => $"{r.Provider}/{r.FileId}"));
    }

    [Fact]
    public void Merge_SameFileIdFromTwoProviders_IsKeptTwice()
    {
        var a = new ProviderOutcome { ProviderId = "a", Status = ProviderStatus.Ok, Records = [R("a", "f", T)] };
        var b = new ProviderOutcome { ProviderId = "b", Status = ProviderStatus.Ok, Records = [R("b", "f", T), R("b", "f", T)] };
        var (records, total, truncated) = ResultMerger.Merge([a, b], 100);
        Assert.Equal(2, records.Count);
        Assert.Equal(2, total);
        Assert.False(truncated);
    }

    [Fact]
    public void Merge_RandomAnswers_EqualsSortingEverythingThenDeduplicating()
    {
        var random = new Random(7);
        var outcomes = Enumerable.Range(0, 6).Select(p => new ProviderOutcome
        {
            ProviderId = $"p{p}", Status = ProviderStatus.Ok,
            Records = Enumerable.Range(0, 300).Select(_ => R($"p{random.Next(3)}", $"f{random.Next(200)}",
                random.Next(10) == 0 ? null : T.AddMinutes(random.Next(50)))).ToList(),
        }).ToList();

        var (records, total, truncated) = ResultMerger.Merge(outcomes, 100);

        var expected = outcomes.SelectMany(o => o.Records).ToList();
        expected.Sort(ResultMerger.Compare);
        var distinct = expected.DistinctBy(r => (r.Provider, r.FileId)).ToList();
        Assert.Equal(distinct.Count, total);
        Assert.Equal(distinct.Take(100).Select(r => (r.Provider, r.FileId, r.Start)), records.Select(r => (r.Provider, r.FileId, r.Start)));
        Assert.True(truncated);
    }

    private static DataRecord R(string p, string id, DateTimeOffset? start) => new() { Provider = p, FileId = id, Start = start };
}
