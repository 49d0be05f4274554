using Broker.Core.Model;
using Broker.Core.Search;

namespace Broker.Registry.Tests.Support;

/// <summary>Finished searches to feed the query log.</summary>
public static class Searches
{
    public const string HostileInstrument = "AIA'); DROP TABLE query_log; -- \"x\" $$";

    public static SearchRequest Request(string? sessionId = "session-secret-1") => new()
    {
        Query = Query(), SessionId = sessionId,
    };

    public static NormalizedQuery Query() => NormalizedQuery.Single(new QueryBlock
    {
        Time = new TimeRange(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero)),
        Instrument = HostileInstrument,
        Wave = new WaveRange(171, 171),
    });

    public static SearchResult Result(DateTimeOffset createdAt, params ProviderOutcome[] outcomes) => new()
    {
        QueryId = Guid.NewGuid().ToString("N"), CreatedAt = createdAt, Query = Query(), Records = [],
        Providers = outcomes, Total = outcomes.Sum(o => o.RecordCount), Truncated = false, ElapsedMs = 42,
    };

    public static ProviderOutcome Outcome(string provider, ProviderStatus status, long elapsedMs, bool fromCache = false) => new()
    {
        ProviderId = provider, Status = status, ElapsedMs = elapsedMs, RecordCount = status == ProviderStatus.Ok ? 3 : 0, FromCache = fromCache,
    };
}
