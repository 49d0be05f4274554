using Broker.Core.Model;

namespace Broker.Core.Search;

/// <summary>How one provider ended in a search. A timeout is never reported as an empty answer.</summary>
public enum ProviderStatus
{
    /// <summary>Answered with records.</summary>
    Ok,
    /// <summary>Answered, with no matching record.</summary>
    Empty,
    /// <summary>Did not answer within its budget or the search deadline.</summary>
    Timeout,
    /// <summary>Failed: HTTP error, malformed answer, provider-side error message.</summary>
    Error,
    /// <summary>Not called: its circuit is open after repeated failures.</summary>
    CircuitOpen,
    /// <summary>Not called: it cannot answer this query (other instrument, time outside coverage ...).</summary>
    Skipped,
    /// <summary>Refused the credentials it was called with, or wants some and got none.</summary>
    Unauthorized,
}

/// <summary>One provider's part of a search.</summary>
public sealed record ProviderOutcome
{
    public required string ProviderId { get; init; }
    public required ProviderStatus Status { get; init; }
    /// <summary>Records this provider contributed (after post-filtering and dropping its own repeated file ids).</summary>
    public int RecordCount { get; init; }
    /// <summary>Counted, not fetched (HEAD): the records a search with the same limit would return from it (its cap applies).</summary>
    public int? WouldReturn { get; init; }
    public long ElapsedMs { get; init; }
    /// <summary>Why it failed or was skipped, in words a person can act on.</summary>
    public string? Message { get; init; }
    /// <summary>The provider said it had more records than it returned.</summary>
    public bool Truncated { get; init; }
    /// <summary>The provider's own count of matches where it gives one.</summary>
    public long? TotalAvailable { get; init; }
    /// <summary>Matching records at this provider after the broker's check: exact, or a lower bound (see <see cref="FoundExact"/>); null when it did not answer.</summary>
    public long? Found { get; init; }
    /// <summary>True when <see cref="Found"/> is exact: an answer that was not cut, or the provider's own exact count.</summary>
    public bool FoundExact { get; init; }
    /// <summary>Returned records the broker's own check rejected (time rule or an attribute the record contradicts).</summary>
    public int Rejected { get; init; }
    /// <summary>True when the answer came from the result cache.</summary>
    public bool FromCache { get; init; }
    /// <summary>The records themselves; not serialized with the status line.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<DataRecord> Records { get; init; } = [];
}
