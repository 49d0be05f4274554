using Broker.Core.Providers;
using Broker.Core.Search;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Broker.Providers.Tap;

/// <summary>
/// Runs the health checks of every provider that has one (<see cref="IProviderHealthCheck"/>) at start-up and
/// then every refresh interval (a TAP provider's <c>metadataRefresh</c>, 1 h for others), and reports each
/// result through <see cref="ProviderRuntime.ObserveHealth"/>: the engine skips unhealthy providers.
/// </summary>
public sealed partial class TapMetadataMonitor : BackgroundService
{
    /// <summary>Refresh interval of providers that are not TAP adapters.</summary>
    public static readonly TimeSpan DefaultRefresh = TimeSpan.FromHours(1);

    private readonly IProviderCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly ILogger<TapMetadataMonitor> _logger;
    private readonly TimeSpan _tick;
    private readonly TimeSpan _checkTimeout;
    private readonly Dictionary<ProviderRuntime, DateTimeOffset> _lastChecked = new(ReferenceEqualityComparer.Instance);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <param name="catalog">The providers (a reload brings new runtimes, which are checked at once).</param>
    /// <param name="logger">Logger.</param>
    /// <param name="time">Clock; the system clock when null.</param>
    /// <param name="tick">How often due checks are looked for. <value>Default 30 s.</value></param>
    /// <param name="checkTimeout">Time allowed for one provider's check. <value>Default 60 s.</value></param>
    public TapMetadataMonitor(IProviderCatalog catalog, ILogger<TapMetadataMonitor> logger, TimeProvider? time = null,
        TimeSpan? tick = null, TimeSpan? checkTimeout = null)
    {
        _catalog = catalog;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _tick = tick ?? TimeSpan.FromSeconds(30);
        _checkTimeout = checkTimeout ?? TimeSpan.FromSeconds(60);
    }

    /// <summary>Checks every provider whose check is due (all of them when <paramref name="force"/>).</summary>
    public async Task CheckAsync(bool force, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            var current = _catalog.Current.All;
            foreach (var gone in _lastChecked.Keys.Where(k => !current.Contains(k)).ToList()) _lastChecked.Remove(gone);
            var due = current.Where(p => p.Adapter is IProviderHealthCheck && (force || IsDue(p, now))).ToList();
            await Task.WhenAll(due.Select(p => CheckOneAsync(p, cancellationToken))).ConfigureAwait(false);
            foreach (var p in due) _lastChecked[p] = now;
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CheckAsync(force: false, stoppingToken).ConfigureAwait(false);
                await Task.Delay(_tick, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private bool IsDue(ProviderRuntime provider, DateTimeOffset now)
    {
        if (!_lastChecked.TryGetValue(provider, out var last)) return true;
        var refresh = provider.Adapter is TapProviderAdapter tap ? tap.Options.MetadataRefresh : DefaultRefresh;
        return now - last >= refresh;
    }

    private async Task CheckOneAsync(ProviderRuntime provider, CancellationToken ct)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        budget.CancelAfter(_checkTimeout);
        var started = _time.GetTimestamp();
        try
        {
            var problem = await ((IProviderHealthCheck)provider.Adapter).CheckAsync(budget.Token).ConfigureAwait(false);
            provider.ObserveHealth(problem);
            var elapsed = (long)_time.GetElapsedTime(started).TotalMilliseconds;
            if (problem is null) LogHealthy(_logger, provider.Id, elapsed);
            else LogUnhealthy(_logger, provider.Id, problem, elapsed);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // A check that cannot finish says nothing about the mapping: keep the previous verdict.
            LogCheckFailed(_logger, provider.Id, $"no answer within {_checkTimeout.TotalSeconds:0} s");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCheckFailed(_logger, provider.Id, ex.Message);
        }
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Metadata check of {ProviderId}: healthy ({ElapsedMs} ms)")]
    private static partial void LogHealthy(ILogger logger, string providerId, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metadata check of {ProviderId} found a problem, the provider is skipped: {Problem} ({ElapsedMs} ms)")]
    private static partial void LogUnhealthy(ILogger logger, string providerId, string problem, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metadata check of {ProviderId} could not run: {Reason}")]
    private static partial void LogCheckFailed(ILogger logger, string providerId, string reason);
}
