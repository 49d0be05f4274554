using Broker.Core.Providers;
using Broker.Core.Search;
using Broker.Core.Services;
using Broker.Registry.Providers;

namespace Broker.Server.Rest;

/// <summary>
/// The body of GET /api/v1/providers; <c>providersFile</c> says whether the running registry is what providers.yaml
/// says (status <c>invalid</c> with the file:line errors after a broken edit, while the last good registry serves).
/// </summary>
public sealed record ProviderList(IReadOnlyList<ProviderView> Providers, Broker.Server.Hosting.ProvidersFileStatus.Snapshot? ProvidersFile = null);

/// <summary>
/// One provider as /api/v1/providers shows it: its id, live state (circuit, last outcome, latency), what it can
/// answer, its registry record and, with a database, its statistics over the last hour.
/// </summary>
public sealed record ProviderView
{
    public required string Id { get; init; }
    /// <summary>Adapter type: tap or soap.</summary>
    public required string Type { get; init; }
    public required string Url { get; init; }
    public string? Title { get; init; }
    public bool Enabled { get; init; }
    /// <summary>closed, open, half-open or isolated.</summary>
    public required string Circuit { get; init; }
    /// <summary>How the provider's last call ended (as the search's provider status).</summary>
    public ProviderStatus? LastStatus { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? LastErrorAt { get; init; }
    public long? LastLatencyMs { get; init; }
    public DateTimeOffset? LastCallAt { get; init; }
    public long Calls { get; init; }
    public long Failures { get; init; }
    /// <summary>The last health or metadata check problem; absent when healthy or not checked.</summary>
    public string? HealthProblem { get; init; }
    public DateTimeOffset? HealthCheckedAt { get; init; }
    /// <summary>What it can answer; <c>filters</c> are the query attributes it applies itself.</summary>
    public required ProviderCapabilities Capabilities { get; init; }
    public StatsView? Stats { get; init; }
    /// <summary>The registry's record of the provider (PostgreSQL or in memory).</summary>
    public RegistryEntry? Registry { get; init; }

    public static ProviderView Of(ProviderState s, ProviderCapabilities c, ProviderStats? stats, RegistryEntry? entry) => new()
    {
        Id = s.Id, Type = s.Type, Url = s.Url, Title = s.Title, Enabled = s.Enabled, Circuit = s.Circuit, LastStatus = s.LastStatus,
        LastError = s.LastError, LastErrorAt = s.LastErrorAt, LastLatencyMs = s.LastLatencyMs, LastCallAt = s.LastCallAt,
        Calls = s.Calls, Failures = s.Failures, HealthProblem = s.HealthProblem, HealthCheckedAt = s.HealthCheckedAt,
        Capabilities = c,
        Stats = stats is null ? null : new StatsView(stats.Calls, stats.SuccessRate, stats.P50Ms, stats.P95Ms, stats.WindowStart),
        Registry = entry,
    };
}

/// <summary>Query-log statistics of the provider since <c>windowStart</c>.</summary>
public sealed record StatsView(long Calls, double SuccessRate, double? P50Ms, double? P95Ms, DateTimeOffset WindowStart);
