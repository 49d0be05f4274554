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
    /// <summary>Distinct records found before the limit was applied.</summary>
    public required int Total { get; init; }
    /// <summary>True when records were cut by the limit or a provider reported more than it returned.</summary>
    public required bool Truncated { get; init; }
    public long ElapsedMs { get; init; }

    /// <summary>Share of the known matches that were not returned, 0–100 (the VSO-Truncated header).</summary>
    public double TruncatedPercent
    {
        get
        {
            long known = Math.Max(Total, Providers.Sum(p => p.TotalAvailable ?? p.RecordCount));
            if (known <= 0 || Records.Count >= known) return Truncated ? 100 : 0;
            return Math.Round(100.0 * (known - Records.Count) / known, 2);
        }
    }
}
