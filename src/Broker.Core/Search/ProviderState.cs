namespace Broker.Core.Search;

/// <summary>A snapshot of a provider's live state, for /api/v1/providers and health.</summary>
public sealed record ProviderState
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    public required string Url { get; init; }
    public string? Title { get; init; }
    public bool Enabled { get; init; }
    /// <summary>closed, open, half-open or isolated.</summary>
    public required string Circuit { get; init; }
    public ProviderStatus? LastStatus { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? LastErrorAt { get; init; }
    public long? LastLatencyMs { get; init; }
    public DateTimeOffset? LastCallAt { get; init; }
    public long Calls { get; init; }
    public long Failures { get; init; }
    /// <summary>The last health or metadata check problem, null when healthy or not checked.</summary>
    public string? HealthProblem { get; init; }
    public DateTimeOffset? HealthCheckedAt { get; init; }
}
