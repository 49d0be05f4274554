using Broker.Registry.Database;
using Broker.Registry.Jobs;
using Broker.TapService.Query;
using Broker.VoTable;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Broker.TapService.Uws;

/// <summary>
/// Executes queued TAP jobs on this instance: claims them from the shared store under a lease it renews while the
/// query runs, so a job whose instance dies is taken over by another instance once the lease runs out. An ABORT or
/// DELETE (from any instance) makes the renewal fail, which cancels the run; a finished run is recorded only while
/// this instance still holds the lease.
/// </summary>
public sealed partial class TapJobExecutor(
    IJobStore store, IJobResultStore results, TapJobs jobs, TapQueryRunner runner, TapServiceOptions options, TimeProvider time,
    ILogger<TapJobExecutor> logger, SchemaState? schema = null, ITapJobCredentials? credentials = null) : BackgroundService
{
    private const int MaxConcurrentJobs = 4;
    private readonly string _instanceId = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";
    private readonly SemaphoreSlim _wake = new(0);
    private readonly SemaphoreSlim _slots = new(MaxConcurrentJobs);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        jobs.JobQueued += Wake;
        try
        {
            // On a fresh database the job table appears with the migration: claiming before it would only log failures.
            if (schema is not null) await schema.WhenReadyAsync(stoppingToken).ConfigureAwait(false);
            while (!stoppingToken.IsCancellationRequested)
            {
                await _slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                BrokerJob? job = null;
                try
                {
                    job = await store.TryClaimNextAsync(_instanceId, options.JobLease, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogClaimFailed(logger, ex.Message);
                }
                if (job is null)
                {
                    _slots.Release();
                    using var poll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    poll.CancelAfter(options.JobPollInterval);
                    try
                    {
                        await _wake.WaitAsync(poll.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                    }
                    continue;
                }
                _ = RunAndReleaseAsync(job, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            jobs.JobQueued -= Wake;
        }
    }

    private void Wake() => _wake.Release();

    private async Task RunAndReleaseAsync(BrokerJob job, CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(job, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            LogJobFailed(logger, job.Id, ex.Message);
        }
        catch (OperationCanceledException)
        {
            // Shutting down: the lease runs out and another instance takes the job over.
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task RunAsync(BrokerJob job, CancellationToken stoppingToken)
    {
        using var run = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        if (job.ExecutionDuration > TimeSpan.Zero) run.CancelAfter(job.ExecutionDuration);
        using var heartbeat = Heartbeat(job.Id, run);
        var parameters = TapParameters.From(job.Parameters);
        var serviceUrl = job.Parameters.GetValueOrDefault(TapJobs.ServiceUrlKey) ?? string.Empty;
        var lease = new JobTransition { LeaseOwner = _instanceId };
        try
        {
            var callers = credentials is null ? null : await credentials.ForRunAsync(job.Parameters, run.Token).ConfigureAwait(false);
            var result = await runner.RunAsync(new TapRequest(parameters, serviceUrl, SessionId: null, Credentials: callers), run.Token).ConfigureAwait(false);
            var format = parameters["RESPONSEFORMAT"] ?? parameters["FORMAT"];
            using var body = new MemoryStream();
            await result.WriteAsync(format, body, run.Token).ConfigureAwait(false);
            TableWriters.TryParseFormat(format, out var tableFormat);
            await results.SaveAsync(job.Id, new JobResult(TableWriters.GetContentType(tableFormat, format), body.ToArray()), run.Token).ConfigureAwait(false);
            if (!await store.TryTransitionAsync(job.Id, JobPhase.Executing, JobPhase.Completed, lease with { ResultsLocation = "stored" }, stoppingToken).ConfigureAwait(false))
                await results.DeleteAsync(job.Id, stoppingToken).ConfigureAwait(false);
            LogJobDone(logger, job.Id, job.Attempts);
        }
        catch (TapQueryException ex)
        {
            await store.TryTransitionAsync(job.Id, JobPhase.Executing, JobPhase.Error, lease with { ErrorSummary = ex.Message }, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // Aborted or deleted elsewhere (the transition fails harmlessly), or past its execution duration.
            await store.TryTransitionAsync(job.Id, JobPhase.Executing, JobPhase.Error,
                lease with { ErrorSummary = $"the job ran longer than its execution duration of {(long)job.ExecutionDuration.TotalSeconds} s" },
                stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Renews the lease every third of its length; a failed renewal (aborted, deleted, taken over) cancels the run.</summary>
    private ITimer Heartbeat(string jobId, CancellationTokenSource run)
    {
        var every = options.JobLease / 3;
        return time.CreateTimer(async _ =>
        {
            try
            {
                if (!await store.RenewLeaseAsync(jobId, _instanceId, options.JobLease, CancellationToken.None).ConfigureAwait(false))
                    await run.CancelAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not ObjectDisposedException)
            {
                LogRenewFailed(logger, jobId, ex.Message);
            }
            catch (ObjectDisposedException)
            {
            }
        }, null, every, every);
    }

    public override void Dispose()
    {
        _wake.Dispose();
        _slots.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 4210, Level = LogLevel.Warning, Message = "Claiming a TAP job failed: {Error}")]
    private static partial void LogClaimFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 4211, Level = LogLevel.Error, Message = "TAP job {JobId} failed: {Error}")]
    private static partial void LogJobFailed(ILogger logger, string jobId, string error);

    [LoggerMessage(EventId = 4212, Level = LogLevel.Information, Message = "TAP job {JobId} finished (attempt {Attempt})")]
    private static partial void LogJobDone(ILogger logger, string jobId, int attempt);

    [LoggerMessage(EventId = 4213, Level = LogLevel.Warning, Message = "Renewing the lease of TAP job {JobId} failed: {Error}")]
    private static partial void LogRenewFailed(ILogger logger, string jobId, string error);
}
