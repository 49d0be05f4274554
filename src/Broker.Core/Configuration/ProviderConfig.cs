using Broker.Core.Providers;

namespace Broker.Core.Configuration;

/// <summary>The settings every provider has, whatever its type; type-specific keys stay in <see cref="Options"/>.</summary>
public sealed record ProviderConfig
{
    public required string Id { get; init; }
    /// <summary>The adapter type (tap, soap ...), which picks the <see cref="IProviderFactory"/>.</summary>
    public required string Type { get; init; }
    /// <summary>The provider's base URL; the broker calls no other host for this provider.</summary>
    public required Uri Url { get; init; }
    public bool Enabled { get; init; } = true;
    /// <summary>A human-readable name.</summary>
    public string? Title { get; init; }
    public ProviderCapabilities Capabilities { get; init; } = new();
    public ResilienceSettings Resilience { get; init; } = new();
    public CacheSettings Cache { get; init; } = new();
    /// <summary>How the provider takes credentials and where the broker's own come from; null: anonymous only.</summary>
    public ProviderAuth? Auth { get; init; }
    /// <summary>
    /// How this provider's file ids name datasets across providers (providers.yaml <c>identity</c>): a template with
    /// <c>{fileId}</c>, e.g. <c>ivo://esavo/soar?{fileId}</c>, for records that carry no publisher DID of their own.
    /// </summary>
    public string? Identity { get; init; }
    /// <summary>The type-specific keys, read by the factory (which must read all of them).</summary>
    public required ConfigSection Options { get; init; }
    /// <summary>Line of the entry in its file, for messages.</summary>
    public int Line { get; init; }
}

/// <summary>
/// Per-provider resilience, applied by one Polly pipeline per provider in this order: total timeout, retry (transient failures of idempotent calls only), circuit breaker, attempt timeout.
/// </summary>
public sealed record ResilienceSettings
{
    /// <summary>Shortest attempt or total timeout: Polly's <c>TimeoutStrategyOptions</c> accept 10 ms to 24 h.</summary>
    public static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(10);
    /// <summary>Shortest breaker sampling or break duration: Polly's circuit breaker accepts 500 ms to 24 h.</summary>
    public static readonly TimeSpan MinBreakerDuration = TimeSpan.FromMilliseconds(500);

    /// <summary>Time allowed for one attempt. <value>Default 30 s.</value></summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Time allowed for a call including retries. <value>Default: twice <see cref="Timeout"/>.</value></summary>
    public TimeSpan? TotalTimeout { get; init; }
    /// <summary>Retries of a transient failure. <value>Default 1.</value></summary>
    public int Retries { get; init; } = 1;
    /// <summary>Base delay before a retry (exponential, jittered). <value>Default 200 ms.</value></summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);
    /// <summary>HTTP requests to this provider in flight at once (a search may send several); more wait. <value>Default 8.</value></summary>
    public int Concurrency { get; init; } = 8;
    /// <summary>Requests that may wait for a slot; beyond it a request is refused at once (status error, "not asked"). <value>Default 64.</value></summary>
    public int ConcurrencyQueue { get; init; } = 64;
    /// <summary>Most records asked of this provider per block. <value>Default 10 000.</value></summary>
    public int MaxRecords { get; init; } = 10_000;
    /// <summary>Failure ratio that opens the circuit. <value>Default 0.5.</value></summary>
    public double BreakerFailureRatio { get; init; } = 0.5;
    /// <summary>Calls in the sampling window before the breaker may open. <value>Default 4.</value></summary>
    public int BreakerMinimumThroughput { get; init; } = 4;
    /// <summary>Sampling window of the breaker. <value>Default 30 s.</value></summary>
    public TimeSpan BreakerSamplingDuration { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>How long an open circuit stays open. <value>Default 30 s.</value></summary>
    public TimeSpan BreakerBreakDuration { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan EffectiveTotalTimeout => TotalTimeout ?? Timeout * (Retries + 1) + RetryDelay * (1 << Math.Min(Retries, 6));
}

/// <summary>How long this provider's answers may be served from the shared result cache.</summary>
public sealed record CacheSettings
{
    /// <summary>Longest time an answer may be served from the cache.</summary>
    public static readonly TimeSpan MaxTtl = TimeSpan.FromDays(7);

    public bool Enabled { get; init; } = true;
    /// <summary><value>Default 5 minutes.</value></summary>
    public TimeSpan Ttl { get; init; } = TimeSpan.FromMinutes(5);
}
