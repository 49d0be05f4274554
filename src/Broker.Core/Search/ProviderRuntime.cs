using Broker.Core.Configuration;
using Broker.Core.Model;
using Broker.Core.Providers;
using Polly;
using Polly.CircuitBreaker;

namespace Broker.Core.Search;

/// <summary>A provider as the engine runs it: its adapter, its one resilience pipeline and its live state.</summary>
public sealed class ProviderRuntime
{
    private readonly ResiliencePipeline _pipeline;
    private readonly CircuitBreakerStateProvider _circuit = new();
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private ProviderStatus? _lastStatus;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt, _lastCallAt, _healthCheckedAt;
    private long? _lastLatency;
    private long _calls, _failures;
    private string? _healthProblem;
    private ProviderLinkOffer? _linkOffer;

    public ProviderRuntime(ProviderConfig config, IProviderAdapter adapter, TimeProvider time)
    {
        Config = config;
        Adapter = adapter;
        _time = time;
        _pipeline = ProviderPipeline.Build(config.Resilience, _circuit, time);
    }

    public string Id => Config.Id;
    public ProviderConfig Config { get; }
    public IProviderAdapter Adapter { get; }
    public ProviderCapabilities Capabilities => Adapter.Capabilities;
    public bool IsCircuitOpen => _circuit.CircuitState is CircuitState.Open or CircuitState.Isolated;
    /// <summary>A provider whose health check found a problem (e.g. broken mapping) is skipped until it passes.</summary>
    public bool IsHealthy => _healthProblem is null;

    /// <summary>Runs a search through the provider's pipeline; records without a dataset identity get the configured one.</summary>
    public async Task<ProviderAnswer> SearchAsync(QueryBlock block, int maxRecords, CancellationToken cancellationToken)
    {
        var answer = await _pipeline.ExecuteAsync(
            static async (s, ct) => await s.Adapter.SearchAsync(s.block, s.maxRecords, ct).ConfigureAwait(false),
            (Adapter, block, maxRecords), cancellationToken).ConfigureAwait(false);
        if (Config.Identity is not { } template || answer.Records.All(r => r.Identity is not null)) return answer;
        return answer with
        {
            Records = answer.Records.Select(r => r.Identity is null ? r with { Identity = template.Replace("{fileId}", r.FileId, StringComparison.Ordinal) } : r).ToList(),
        };
    }

    /// <summary>Counts a block's matches through the provider's pipeline (the adapter must be an <see cref="IProviderCounter"/>).</summary>
    public async Task<long> CountAsync(QueryBlock block, CancellationToken cancellationToken) =>
        await _pipeline.ExecuteAsync(
            static async (s, ct) => await ((IProviderCounter)s.Adapter).CountAsync(s.block, ct).ConfigureAwait(false),
            (Adapter, block), cancellationToken).ConfigureAwait(false);

    /// <summary>Resolves file ids through the provider's pipeline.</summary>
    public async Task<IReadOnlyList<FileLocation>> ResolveFilesAsync(IReadOnlyList<FileRequest> files, CancellationToken cancellationToken) =>
        await _pipeline.ExecuteAsync(
            static async (s, ct) => await s.Adapter.ResolveFilesAsync(s.files, ct).ConfigureAwait(false),
            (Adapter, files), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Runs another call to the provider (e.g. reading its own DataLink document) through the provider's one resilience
    /// pipeline: its timeouts, retries and circuit apply as to searches.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        await _pipeline.ExecuteAsync(static async (c, ct) => await c(ct).ConfigureAwait(false), call, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// True when the broker may call <paramref name="url"/> for this provider: the provider url's own host and port, or
    /// one of its data hosts (<see cref="IDataUrlHosts"/>) on the default port of the URL's scheme. Every call to a URL a
    /// provider gave (URL checks, downloads, DataLink documents) follows this rule, redirects included.
    /// </summary>
    public bool Serves(Uri url) =>
        RegistryHosts.SameService(url, Config.Url)
        || url.IsAbsoluteUri && url.Scheme is "http" or "https" && url.IsDefaultPort
            && Adapter is IDataUrlHosts data && data.DataUrlHosts.Contains(url.Host, StringComparer.OrdinalIgnoreCase);

    /// <summary>What the provider's own DataLink documents offered since this instance started (null: none read yet).</summary>
    public ProviderLinkOffer? LinkOffer
    {
        get
        {
            lock (_gate) return _linkOffer;
        }
    }

    /// <summary>
    /// Adds what a DataLink document of the provider offered (cut-out services, previews): a provider may offer a
    /// cut-out for some of its files only, so the offer is what any document offered.
    /// </summary>
    public void ObserveLinkOffer(IReadOnlyList<string> services, bool previews)
    {
        lock (_gate)
        {
            var known = _linkOffer?.Services ?? [];
            _linkOffer = new ProviderLinkOffer(known.Union(services, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                previews || _linkOffer?.Previews == true, _time.GetUtcNow());
        }
    }

    /// <summary>
    /// Records the end of a call for the live state. A failure caused by the caller's input
    /// (<paramref name="providerFault"/> false) counts as a call, never as the provider's failure or last error.
    /// </summary>
    public void Observe(ProviderStatus status, long elapsedMs, string? error, bool providerFault = true)
    {
        lock (_gate)
        {
            _calls++;
            _lastStatus = status;
            _lastLatency = elapsedMs;
            _lastCallAt = _time.GetUtcNow();
            if (providerFault && status is ProviderStatus.Error or ProviderStatus.Timeout)
            {
                _failures++;
                _lastError = error;
                _lastErrorAt = _lastCallAt;
            }
        }
    }

    /// <summary>Records the result of a health or metadata check (null = healthy).</summary>
    public void ObserveHealth(string? problem)
    {
        lock (_gate)
        {
            _healthProblem = problem;
            _healthCheckedAt = _time.GetUtcNow();
        }
    }

    public ProviderState Snapshot()
    {
        lock (_gate)
        {
            return new ProviderState
            {
                Id = Id, Type = Config.Type, Url = Config.Url.ToString(), Title = Config.Title, Enabled = Config.Enabled,
                Circuit = _circuit.CircuitState switch
                {
                    CircuitState.Closed => "closed", CircuitState.Open => "open",
                    CircuitState.HalfOpen => "half-open", _ => "isolated",
                },
                LastStatus = _lastStatus, LastError = _lastError, LastErrorAt = _lastErrorAt, LastLatencyMs = _lastLatency,
                LastCallAt = _lastCallAt, Calls = _calls, Failures = _failures,
                HealthProblem = _healthProblem, HealthCheckedAt = _healthCheckedAt,
            };
        }
    }
}

/// <summary>
/// What a provider's own DataLink documents offered since this instance started: the standard ids of their service
/// descriptors (SODA cut-outs: <c>ivo://ivoa.net/std/SODA#sync-1.0</c>), whether any had previews, and when the last
/// was read.
/// </summary>
public sealed record ProviderLinkOffer(IReadOnlyList<string> Services, bool Previews, DateTimeOffset SeenAt);
