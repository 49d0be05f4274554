using System.Diagnostics;
using System.Diagnostics.Metrics;
using Broker.Core.Search;

namespace Broker.Core.Telemetry;

/// <summary>
/// The broker's own instruments, on the one shared <see cref="Meter"/> named <see cref="MeterName"/> (exported at
/// /metrics). A singleton of the host, so counters survive a providers.yaml reload. Other components add their
/// instruments to <see cref="Meter"/> (see docs/architecture.md, "Metrics").
/// </summary>
public sealed class BrokerMetrics : IDisposable
{
    /// <summary>Name of the shared meter; the host's OpenTelemetry setup listens to it.</summary>
    public const string MeterName = "Broker";

    /// <summary>Latency buckets (seconds) for provider calls: from a cached local simulator to a slow archive.</summary>
    private static readonly IReadOnlyList<double> CallBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly Histogram<double> _callDuration;
    private readonly Counter<long> _calls;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _cacheLookups;
    private readonly Counter<long> _coalesced;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _providerRejected;

    /// <summary>Creates the instruments on a meter of <paramref name="factory"/> (the host's, disposed with it).</summary>
    public BrokerMetrics(IMeterFactory factory) : this(factory.Create(new MeterOptions(MeterName)))
    {
    }

    /// <summary>Creates the instruments on a meter of its own (tests and tools without a host).</summary>
    public BrokerMetrics() : this(new Meter(MeterName))
    {
    }

    private BrokerMetrics(Meter meter)
    {
        Meter = meter;
        _callDuration = meter.CreateHistogram("broker.provider.call.duration", "s",
            "Duration of provider calls (not answered from the cache), by provider and outcome status",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CallBuckets });
        _calls = meter.CreateCounter<long>("broker.provider.calls", "{call}", "Provider calls (not answered from the cache) by provider and outcome status");
        _failures = meter.CreateCounter<long>("broker.provider.failures", "{call}", "Provider calls that ended in error or timeout by the provider's fault (not the caller's input)");
        _cacheLookups = meter.CreateCounter<long>("broker.answer_cache.lookups", "{lookup}", "Answer cache lookups by provider and result (hit, miss)");
        _coalesced = meter.CreateCounter<long>("broker.provider.coalesced", "{call}", "Provider calls that joined an identical call already running instead of asking the provider");
        _rateLimited = meter.CreateCounter<long>("broker.requests.rate_limited", "{request}", "Requests refused by the per-session rate limit");
        _providerRejected = meter.CreateCounter<long>("broker.provider.rejected", "{request}",
            "Provider HTTP requests not sent because the provider's concurrency limit and queue were full");
    }

    /// <summary>The shared meter: create further instruments on it once (in a singleton), never per request.</summary>
    public Meter Meter { get; }

    /// <summary>Records a provider call that was not answered from the cache (a coalesced one only as coalesced).</summary>
    public void ProviderCall(string providerId, ProviderStatus status, TimeSpan elapsed, bool coalesced, bool providerFault = true)
    {
        var tags = new TagList { { "provider", providerId }, { "status", status.WireName() } };
        if (coalesced)
        {
            _coalesced.Add(1, new KeyValuePair<string, object?>("provider", providerId));
            return;
        }
        _callDuration.Record(elapsed.TotalSeconds, tags);
        _calls.Add(1, tags);
        if (providerFault && status is ProviderStatus.Error or ProviderStatus.Timeout) _failures.Add(1, tags);
    }

    /// <summary>Records an answer cache lookup.</summary>
    public void CacheLookup(string providerId, bool hit) =>
        _cacheLookups.Add(1, new KeyValuePair<string, object?>("provider", providerId), new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));

    /// <summary>Records a request refused by the per-session rate limit (<paramref name="by"/>: session or address).</summary>
    public void RateLimited(string by) => _rateLimited.Add(1, new KeyValuePair<string, object?>("by", by));

    /// <summary>Records a provider HTTP request refused by the provider's concurrency limit.</summary>
    public void ProviderRejected(string providerId) => _providerRejected.Add(1, new KeyValuePair<string, object?>("provider", providerId));

    public void Dispose() => Meter.Dispose();
}
