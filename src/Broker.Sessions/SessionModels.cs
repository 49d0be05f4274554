using Broker.Core.Model;
using Broker.Core.Search;

namespace Broker.Sessions;

/// <summary>A live session.</summary>
public sealed record SessionInfo(string Id, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>One query of a session's history, without its records.</summary>
public sealed record QuerySummary
{
    public required string QueryId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required NormalizedQuery Query { get; init; }
    /// <summary>Per-provider status lines (status, counts, elapsed, message).</summary>
    public required IReadOnlyList<ProviderOutcome> Providers { get; init; }
    /// <summary>Records the search returned.</summary>
    public required int RecordCount { get; init; }
    /// <summary>Records kept for paging (at most the configured maximum).</summary>
    public required int StoredRecords { get; init; }
    /// <summary>Distinct records found before the limit.</summary>
    public required int Total { get; init; }
    public required bool Truncated { get; init; }
    public long ElapsedMs { get; init; }

    /// <summary>
    /// The summary of a finished search, counting at most <paramref name="maxStored"/> stored records. Its provider
    /// status lines keep no records: an outcome holds every record its provider returned, so a history holding the
    /// outcomes kept whole provider answers alive beyond the stored-record limits (20 queries × 8,000 records of the
    /// fan-out benchmark in one in-memory session, with MaxStoredRecords 0).
    /// </summary>
    public static QuerySummary Of(SearchResult result, int maxStored) => new()
    {
        QueryId = result.QueryId, CreatedAt = result.CreatedAt, Query = result.Query,
        Providers = [.. result.Providers.Select(p => p.Records.Count == 0 ? p : p with { Records = [] })],
        RecordCount = result.Records.Count, StoredRecords = Math.Min(result.Records.Count, maxStored), Total = result.Total,
        Truncated = result.Truncated, ElapsedMs = result.ElapsedMs,
    };
}

/// <summary>A page of a stored result.</summary>
/// <param name="Total">Records stored for the query (the pages' end).</param>
public sealed record RecordPage(string QueryId, int Offset, int Limit, int Total, IReadOnlyList<DataRecord> Records);
