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

    [Fact]
    public void Merge_SameDatasetAtThreeProviders_IsOneRecordListingTheOthersAndCountedOnce()
    {
        var a = new ProviderOutcome { ProviderId = "a", Status = ProviderStatus.Ok, Records = [R("a", "x1", T, "ivo://d/1"), R("a", "x2", T.AddMinutes(1), "ivo://d/2")] };
        var b = new ProviderOutcome { ProviderId = "b", Status = ProviderStatus.Ok, Records = [R("b", "y1", T, "ivo://d/1"), R("b", "y3", T.AddMinutes(2))] };
        var c = new ProviderOutcome { ProviderId = "c", Status = ProviderStatus.Ok, Records = [R("c", "z1", T.AddSeconds(1), "ivo://d/1")] };

        var (records, total, truncated) = ResultMerger.Merge([c, b, a], 100);

        Assert.Equal(["a/x1", "a/x2", "b/y3"], records.Select(r => $"{r.Provider}/{r.FileId}"));
        Assert.Equal([new RecordAlternative("b", "y1"), new RecordAlternative("c", "z1")], records[0].AlsoAt!);
        Assert.Null(records[1].AlsoAt);
        Assert.Equal(3, total);
        Assert.False(truncated);
    }

    [Fact]
    public void Merge_SameIdentityTwiceAtOneProvider_StaysTwoRecords()
    {
        var a = new ProviderOutcome { ProviderId = "a", Status = ProviderStatus.Ok, Records = [R("a", "x1", T, "ivo://d/1"), R("a", "x2", T, "ivo://d/1")] };
        var b = new ProviderOutcome { ProviderId = "b", Status = ProviderStatus.Ok, Records = [R("b", "y1", T.AddMinutes(1))] };

        var (records, total, _) = ResultMerger.Merge([a, b], 100);

        Assert.Equal(3, total);
        Assert.All(records, r => Assert.Null(r.AlsoAt));
    }

    [Fact]
    public void Merge_DuplicateOfARecordBeyondTheLimit_IsDroppedWithItAndNotCounted()
    {
        var a = new ProviderOutcome { ProviderId = "a", Status = ProviderStatus.Ok, Records = [R("a", "x1", T), R("a", "x2", T.AddMinutes(1), "ivo://d/2")] };
        var b = new ProviderOutcome { ProviderId = "b", Status = ProviderStatus.Ok, Records = [R("b", "y2", T.AddMinutes(2), "ivo://d/2")] };

        var (records, total, truncated) = ResultMerger.Merge([a, b], 1);

        Assert.Equal(["a/x1"], records.Select(r => $"{r.Provider}/{r.FileId}"));
        Assert.Equal(2, total);
        Assert.True(truncated);
    }

    private static DataRecord R(string p, string id, DateTimeOffset? start, string? identity = null) =>
        new() { Provider = p, FileId = id, Start = start, Identity = identity };
}
