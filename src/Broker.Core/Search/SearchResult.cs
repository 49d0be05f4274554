using Broker.Core.Model;

namespace Broker.Core.Search;

/// <summary>The merged answer of a search: one homogeneous record list and a status line per provider.</summary>
public sealed record SearchResult
{
    public required string QueryId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required NormalizedQuery Query { get; init; }
    /// <summary>Distinct records, ordered by start time, provider, file id; at most the limit.</summary>
    public required IReadOnlyList<DataRecord> Records { get; init; }
    public required IReadOnlyList<ProviderOutcome> Providers { get; init; }
    /// <summary>All matching records: the distinct ones found plus what providers have beyond what they returned (see <see cref="TotalExact"/>).</summary>
    public required int Total { get; init; }
    /// <summary>True when <see cref="Total"/> is exact; false when it is a lower bound (a provider cut without an exact count, or failed).</summary>
    public bool TotalExact { get; init; }
    /// <summary>True when records were cut by the limit or a provider reported more than it returned.</summary>
    public required bool Truncated { get; init; }
    public long ElapsedMs { get; init; }

    /// <summary>The VSO-Truncated figure (VAMDC): percentage of all available records returned; null unless cut with an exact total.</summary>
    public double? TruncatedPercent => Truncated ? Counts.TruncatedPercent(Records.Count, Total, TotalExact) : null;
}
