using System.Diagnostics.Metrics;
using Broker.Core.Providers;
using Broker.Core.Search;
using Broker.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace Broker.Core.Services;

/// <summary>Settings of the orphaned-job janitor (configuration section <c>OrphanedJobs</c>).</summary>
public sealed record OrphanedJobOptions
{
    /// <summary>How often the janitor looks for due jobs.</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Wait before the first retry, doubling after each failure up to <see cref="RetryMax"/>.</summary>
    public TimeSpan RetryInitial { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait between two retries.</summary>
    public TimeSpan RetryMax { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long to keep trying when the provider never said when it destroys the job itself.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Jobs deleted per sweep at most (the rest wait for the next one).</summary>
    public int BatchSize { get; init; } = 100;
}

/// <summary>
/// Provider jobs the broker could not delete (the provider was down, refused the DELETE, or the cleanup timed out):
/// remembered in <see cref="IOrphanedJobStore"/> and deleted again by <see cref="SweepAsync"/> with backoff until the
/// provider confirms or the job's destruction time has passed. The gauge <c>broker.uws.orphaned_jobs</c> shows how many wait.
/// </summary>
public sealed partial class OrphanedJobs
{
    private readonly IOrphanedJobStore _store;
    private readonly OrphanedJobOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private int _waiting;

    public OrphanedJobs(IOrphanedJobStore store, OrphanedJobOptions options, BrokerMetrics metrics, TimeProvider time, ILogger<OrphanedJobs> logger)
    {
        _store = store;
        _options = options;
        _time = time;
        _logger = logger;
        metrics.Meter.CreateObservableGauge("broker.uws.orphaned_jobs", () => Waiting, "{job}",
            "Provider UWS jobs the broker could not delete and is still trying to delete");
    }

    /// <summary>Jobs waiting, as of the last sweep or remembered job.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>
    /// Remembers a job whose DELETE failed. <paramref name="destruction"/> is the provider's own destruction time when
    /// its job document gave one. Never throws (a store failure is logged): the search that left the job goes on.
    /// </summary>
    public async Task RememberAsync(string providerId, Uri jobUrl, DateTimeOffset? destruction, string reason, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        try
        {
            await _store.RememberAsync(providerId, jobUrl, destruction ?? now + _options.MaxAge, now + Backoff.After(0), cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _waiting, await _store.CountAsync(cancellationToken).ConfigureAwait(false));
            LogRemembered(_logger, providerId, jobUrl, reason);
        }
        catch (Exception ex)
        {
            LogRememberFailed(_logger, providerId, jobUrl, ex.Message);
        }
    }

    private RetryBackoff Backoff => new(_options.RetryInitial, _options.RetryMax);

    /// <summary>
    /// Sweeps now and then every <see cref="OrphanedJobOptions.SweepInterval"/> on the injected clock until
    /// <paramref name="stoppingToken"/> ends it. Nothing a sweep throws ends the loop (or the process): it is logged and
    /// the next tick tries again.
    /// </summary>
    public async Task RunAsync(IProviderCatalog catalog, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.SweepInterval, _time);
        try
        {
            do
            {
                try
                {
                    await SweepAsync(catalog, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogSweepFailed(_logger, ex.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// One pass: forgets jobs past their destruction time, deletes the due ones through their provider's adapter
    /// (forgotten when it confirms; otherwise retried after the backoff), and refreshes <see cref="Waiting"/>.
    /// </summary>
    public async Task<int> SweepAsync(IProviderCatalog catalog, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        foreach (var expired in await _store.ForgetExpiredAsync(now, cancellationToken).ConfigureAwait(false))
            LogGaveUp(_logger, expired.ProviderId, expired.JobUrl, expired.Attempts);
        var deleted = 0;
        var due = await _store.ClaimDueAsync(now, Backoff, _options.BatchSize, cancellationToken).ConfigureAwait(false);
        foreach (var job in due)
        {
            var provider = catalog.Current.Find(job.ProviderId);
            var failure = provider?.Adapter is IRemoteJobCleanup cleanup
                ? await cleanup.DeleteJobAsync(job.JobUrl, cancellationToken).ConfigureAwait(false)
                : $"provider '{job.ProviderId}' is not in the registry now";
            if (failure is null)
            {
                await _store.ForgetAsync(job.JobUrl, cancellationToken).ConfigureAwait(false);
                deleted++;
                LogDeleted(_logger, job.ProviderId, job.JobUrl, job.Attempts);
            }
            else
            {
                LogStillFailing(_logger, job.ProviderId, job.JobUrl, job.Attempts, failure, Backoff.After(job.Attempts));
            }
        }
        Volatile.Write(ref _waiting, await _store.CountAsync(cancellationToken).ConfigureAwait(false));
        return deleted;
    }

    [LoggerMessage(EventId = 4055, Level = LogLevel.Warning, Message = "Orphaned job sweep failed: {Error}")]
    private static partial void LogSweepFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 4050, Level = LogLevel.Warning, Message = "Job {JobUrl} on {ProviderId} could not be deleted ({Reason}); remembered, the janitor deletes it later")]
    private static partial void LogRemembered(ILogger logger, string providerId, Uri jobUrl, string reason);

    [LoggerMessage(EventId = 4051, Level = LogLevel.Error, Message = "Job {JobUrl} on {ProviderId} could not be remembered for a later delete: {Error}")]
    private static partial void LogRememberFailed(ILogger logger, string providerId, Uri jobUrl, string error);

    [LoggerMessage(EventId = 4052, Level = LogLevel.Information, Message = "Orphaned job {JobUrl} on {ProviderId} deleted at attempt {Attempts}")]
    private static partial void LogDeleted(ILogger logger, string providerId, Uri jobUrl, int attempts);

    [LoggerMessage(EventId = 4053, Level = LogLevel.Warning, Message = "Orphaned job {JobUrl} on {ProviderId}: attempt {Attempts} failed ({Reason}); next in {Wait}")]
    private static partial void LogStillFailing(ILogger logger, string providerId, Uri jobUrl, int attempts, string reason, TimeSpan wait);

    [LoggerMessage(EventId = 4054, Level = LogLevel.Information, Message = "Orphaned job {JobUrl} on {ProviderId} is past its destruction time after {Attempts} attempts; forgotten")]
    private static partial void LogGaveUp(ILogger logger, string providerId, Uri jobUrl, int attempts);
}
