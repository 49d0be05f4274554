using Broker.Core.Credentials;
using Broker.Core.Model;

namespace Broker.Core.Search;

/// <summary>A search as the engine runs it.</summary>
public sealed record SearchRequest
{
    public required NormalizedQuery Query { get; init; }
    /// <summary>Most records returned after merging; null means the configured default.</summary>
    public int? Limit { get; init; }
    /// <summary>The caller's session (for logs and history); null when session-less.</summary>
    public string? SessionId { get; init; }
    /// <summary>Skip the cache on read (Cache-Control: no-cache); answers are still stored.</summary>
    public bool BypassCache { get; init; }
    /// <summary>
    /// The caller's own credentials per provider (null or no entry: that provider is asked with the broker's service
    /// credential, or anonymously). A provider asked with the caller's credential is never answered from, or stored in,
    /// the shared answer cache, and its call is never shared with another caller's.
    /// </summary>
    public CallerCredentials? Credentials { get; init; }
    /// <summary>Only these provider ids may be asked (null: every eligible one).</summary>
    public IReadOnlySet<string>? OnlyProviders { get; init; }

    /// <summary>
    /// Called as each provider call ends (from that call's task, concurrently with the others), so a front door can
    /// start rendering a provider's records while slower providers are still answering.
    /// </summary>
    public Action<ProviderOutcome>? ProviderCompleted { get; init; }

    /// <summary>Called once the providers to ask are known, before any is asked (a streamed search's first event).</summary>
    public Action<SearchStart>? Planned { get; init; }

    /// <summary>
    /// Called once per asked provider when all its calls have ended, with its one status line and records as the
    /// merged result will show them (before cross-provider de-duplication); concurrently with other providers.
    /// </summary>
    public Action<ProviderOutcome>? ProviderFinished { get; init; }

    /// <summary>
    /// Called before the answer when the session store refused to take this search (its history would miss it), so
    /// the front door can tell the caller the store is unavailable.
    /// </summary>
    public Action? SessionStoreUnavailable { get; init; }

    /// <summary>
    /// Completes once the caller has the whole answer (null: nothing to wait for). Listeners nobody waits on (the
    /// session write) start after it, so they do not take the CPU the answer is being written with.
    /// </summary>
    public Task? Delivered { get; init; }
}

/// <summary>Which providers a search asks (in order) and which it skips, with why.</summary>
public sealed record SearchStart(string QueryId, IReadOnlyList<string> Asked, IReadOnlyList<ProviderOutcome> Skipped);

/// <summary>Engine-wide settings, bound from the <c>Search</c> configuration section.</summary>
public sealed record SearchOptions
{
    /// <summary>Overall deadline of one search. <value>Default 60 s.</value></summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Records returned when the caller gives no limit. <value>Default 10 000.</value></summary>
    public int DefaultLimit { get; init; } = 10_000;
    /// <summary>The highest limit a caller may ask for. <value>Default 100 000.</value></summary>
    public int MaxLimit { get; init; } = 100_000;
}
