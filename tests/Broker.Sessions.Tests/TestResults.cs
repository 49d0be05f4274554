using Broker.Core.Model;
using Broker.Core.Search;

namespace Broker.Sessions.Tests;

/// <summary>Search results to store, built the way the engine builds them.</summary>
internal static class TestResults
{
    public static SearchResult Of(int records, string instrument = "AIA")
    {
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var block = new QueryBlock { Time = new TimeRange(start, start.AddDays(1)), Instrument = instrument };
        var list = Enumerable.Range(0, records)
            .Select(i => new DataRecord { Provider = i % 2 == 0 ? "sdac" : "soar", FileId = $"{instrument}-{i:D5}", Start = start.AddSeconds(i), Instrument = instrument })
            .ToList();
        return new SearchResult
        {
            QueryId = Guid.CreateVersion7().ToString("N"), CreatedAt = DateTimeOffset.UtcNow, Query = NormalizedQuery.Single(block),
            Records = list, Total = records, Truncated = false,
            Providers = [new ProviderOutcome { ProviderId = "sdac", Status = ProviderStatus.Ok, RecordCount = records }],
        };
    }
}
