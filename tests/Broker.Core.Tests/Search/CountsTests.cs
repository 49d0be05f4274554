using Broker.Core.Search;

namespace Broker.Core.Tests.Search;

public sealed class CountsTests
{
    private static ProviderOutcome Outcome(string id, int returned, long found, bool exact = true) => new()
    {
        ProviderId = id, Status = ProviderStatus.Ok, RecordCount = returned, Found = found, FoundExact = exact,
    };

    [Fact]
    public void Total_WithoutJoinedDatasets_AddsWhatProvidersDidNotReturn()
    {
        var (total, exact) = Counts.Total([Outcome("a", 10, 30), Outcome("b", 5, 5)], distinctReturned: 15);
        Assert.Equal(35, total);
        Assert.True(exact);
    }

    [Fact]
    public void Total_JoinedDatasetsAndUnreturnedRecords_IsALowerBoundThatCountsNoDatasetTwice()
    {
        // Two mirrors of one archive: 10 of 30 returned by each, joined into 10 datasets. Their unseen 20 may be the
        // same datasets, so adding 20 + 20 could count each twice; 30 (one mirror's own count) is known to be distinct.
        var (total, exact) = Counts.Total([Outcome("a", 10, 30), Outcome("mirror", 10, 30)], distinctReturned: 10);
        Assert.Equal(30, total);
        Assert.False(exact);
    }

    [Fact]
    public void Total_JoinedDatasetsWithEverythingReturned_StaysExact()
    {
        var (total, exact) = Counts.Total([Outcome("a", 10, 10), Outcome("mirror", 10, 10)], distinctReturned: 10);
        Assert.Equal(10, total);
        Assert.True(exact);
    }
}
