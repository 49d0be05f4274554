using System.Globalization;
using Broker.Core.Units;
using Broker.Registry.Jobs;

namespace Broker.TapService.Uws;

/// <summary>What a UWS action did.</summary>
public enum JobActionOutcome { Done, NotFound, NotAllowed, BadRequest }

/// <summary>
/// The TAP service's async jobs (UWS 1.1) over the shared <see cref="IJobStore"/>: each job belongs to the session that
/// created it (a job created without a session is reachable by its unguessable URL only), any instance may execute it
/// (<see cref="TapJobExecutor"/>), and its result is stored where every instance can serve it.
/// </summary>
public sealed class TapJobs(IJobStore store, IJobResultStore results, TapServiceOptions options, TimeProvider time)
{
    /// <summary>Parameter names starting with this are the service's own bookkeeping, never shown.</summary>
    public const string InternalPrefix = "x-broker-";

    /// <summary>The TAP service URL the job's rows link to (DataLink URLs).</summary>
    public const string ServiceUrlKey = InternalPrefix + "service-url";

    /// <summary>Raised when a job becomes QUEUED on this instance, so the executor starts it without waiting for its poll.</summary>
    public event Action? JobQueued;

    /// <summary>Creates a job (PENDING, or QUEUED when PHASE=RUN came with the creation, in any case).</summary>
    /// <param name="bookkeeping">The service's own parameters for the run (names start with <see cref="InternalPrefix"/>; never shown).</param>
    public async Task<BrokerJob> CreateAsync(TapParameters parameters, string? owner, string serviceUrl, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? bookkeeping = null)
    {
        var values = parameters.FirstValues();
        values.Remove("phase");
        foreach (var key in values.Keys.Where(k => k.StartsWith(InternalPrefix, StringComparison.Ordinal)).ToList()) values.Remove(key);
        foreach (var (key, value) in bookkeeping ?? new Dictionary<string, string>())
        {
            if (!key.StartsWith(InternalPrefix, StringComparison.Ordinal)) throw new ArgumentException($"bookkeeping parameter '{key}' must start with {InternalPrefix}", nameof(bookkeeping));
            values[key] = value;
        }
        values[ServiceUrlKey] = serviceUrl;
        var run = string.Equals(parameters["PHASE"], "RUN", StringComparison.OrdinalIgnoreCase);
        var job = await store.CreateAsync(new NewJob
        {
            Owner = owner, RunId = parameters["RUNID"], Parameters = values, Phase = run ? JobPhase.Queued : JobPhase.Pending,
            ExecutionDuration = TimeSpan.FromSeconds(options.MaxExecutionSeconds),
            DestructionAt = time.GetUtcNow() + options.JobLifetime,
        }, cancellationToken).ConfigureAwait(false);
        if (run) JobQueued?.Invoke();
        return job;
    }

    /// <summary>The job when it exists and <paramref name="owner"/> may see it.</summary>
    public async Task<BrokerJob?> GetAsync(string jobId, string? owner, CancellationToken cancellationToken)
    {
        var job = await store.GetAsync(jobId, cancellationToken).ConfigureAwait(false);
        return job is not null && (job.Owner is null || job.Owner == owner) ? job : null;
    }

    /// <summary>The caller's jobs (none for a caller without a session), filtered as UWS 1.1 lists them.</summary>
    public async Task<IReadOnlyList<BrokerJob>> ListAsync(string? owner, IReadOnlyList<string> phases, string? after, string? last, CancellationToken cancellationToken)
    {
        if (owner is null) return [];
        DateTimeOffset? afterTime = null;
        if (after is not null)
        {
            if (!SolarTime.TryParse(after, out var t)) throw new ArgumentException($"AFTER must be an ISO 8601 time, not '{after}'");
            afterTime = t;
        }
        int? lastCount = null;
        if (last is not null)
        {
            if (!int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) throw new ArgumentException($"LAST must be a non-negative integer, not '{last}'");
            lastCount = n;
        }
        var wanted = phases.Select(p => p.Trim().ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);
        var jobs = (await store.ListAsync(owner, 1000, cancellationToken).ConfigureAwait(false))
            .Where(j => wanted.Count == 0 ? j.Phase != JobPhase.Archived : wanted.Contains(UwsDocuments.Phase(j.Phase)))
            .Where(j => afterTime is null || j.CreatedAt > afterTime);
        return (lastCount is { } k ? jobs.Take(k) : jobs).ToList();
    }

    /// <summary>PHASE=RUN (PENDING → QUEUED) or PHASE=ABORT (any unfinished phase → ABORTED); any other value is a bad request.</summary>
    public async Task<JobActionOutcome> ChangePhaseAsync(string jobId, string? owner, string? phase, CancellationToken cancellationToken)
    {
        var job = await GetAsync(jobId, owner, cancellationToken).ConfigureAwait(false);
        if (job is null) return JobActionOutcome.NotFound;
        switch (phase?.Trim().ToUpperInvariant())
        {
            case "RUN":
                if (job.Phase is JobPhase.Queued or JobPhase.Executing or JobPhase.Completed) return JobActionOutcome.Done;
                if (job.Phase != JobPhase.Pending) return JobActionOutcome.NotAllowed;
                if (!await store.TryTransitionAsync(jobId, JobPhase.Pending, JobPhase.Queued, null, cancellationToken).ConfigureAwait(false))
                    return JobActionOutcome.NotAllowed;
                JobQueued?.Invoke();
                return JobActionOutcome.Done;
            case "ABORT":
                foreach (var from in new[] { JobPhase.Pending, JobPhase.Queued, JobPhase.Executing, JobPhase.Held, JobPhase.Suspended })
                {
                    if (await store.TryTransitionAsync(jobId, from, JobPhase.Aborted, null, cancellationToken).ConfigureAwait(false))
                        return JobActionOutcome.Done;
                }
                return job.Phase == JobPhase.Aborted ? JobActionOutcome.Done : JobActionOutcome.NotAllowed;
            default:
                return JobActionOutcome.BadRequest;
        }
    }

    /// <summary>Adds parameters (PENDING only) and RUNID.</summary>
    public async Task<JobActionOutcome> AddParametersAsync(string jobId, string? owner, TapParameters parameters, CancellationToken cancellationToken)
    {
        if (await GetAsync(jobId, owner, cancellationToken).ConfigureAwait(false) is null) return JobActionOutcome.NotFound;
        var values = parameters.FirstValues();
        values.Remove("phase");
        values.Remove("action");
        foreach (var key in values.Keys.Where(k => k.StartsWith(InternalPrefix, StringComparison.Ordinal)).ToList()) values.Remove(key);
        var ok = await store.TryUpdateAsync(jobId, new JobUpdate { Parameters = values, RunId = parameters["RUNID"] }, cancellationToken).ConfigureAwait(false);
        return ok ? JobActionOutcome.Done : JobActionOutcome.NotAllowed;
    }

    /// <summary>Sets the execution duration in seconds (capped by the service; 0 = unlimited is not granted).</summary>
    public async Task<JobActionOutcome> SetExecutionDurationAsync(string jobId, string? owner, string? value, CancellationToken cancellationToken)
    {
        var job = await GetAsync(jobId, owner, cancellationToken).ConfigureAwait(false);
        if (job is null) return JobActionOutcome.NotFound;
        if (!long.TryParse(value?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return JobActionOutcome.BadRequest;
        if (job.Phase != JobPhase.Pending) return JobActionOutcome.NotAllowed;
        var granted = seconds == 0 ? options.MaxExecutionSeconds : Math.Min(seconds, options.MaxExecutionSeconds);
        await store.TryUpdateAsync(jobId, new JobUpdate { ExecutionDuration = TimeSpan.FromSeconds(granted) }, cancellationToken).ConfigureAwait(false);
        return JobActionOutcome.Done;
    }

    /// <summary>Sets the destruction time (never later than the service keeps jobs).</summary>
    public async Task<JobActionOutcome> SetDestructionAsync(string jobId, string? owner, string? value, CancellationToken cancellationToken)
    {
        var job = await GetAsync(jobId, owner, cancellationToken).ConfigureAwait(false);
        if (job is null) return JobActionOutcome.NotFound;
        if (!SolarTime.TryParse(value, out var at)) return JobActionOutcome.BadRequest;
        var latest = job.CreatedAt + options.JobLifetime;
        await store.TryUpdateAsync(jobId, new JobUpdate { DestructionAt = at < latest ? at : latest }, cancellationToken).ConfigureAwait(false);
        return JobActionOutcome.Done;
    }

    /// <summary>Deletes the job and its result (aborting it if it runs: the executor loses its lease).</summary>
    public async Task<JobActionOutcome> DeleteAsync(string jobId, string? owner, CancellationToken cancellationToken)
    {
        if (await GetAsync(jobId, owner, cancellationToken).ConfigureAwait(false) is null) return JobActionOutcome.NotFound;
        await results.DeleteAsync(jobId, cancellationToken).ConfigureAwait(false);
        return await store.DeleteAsync(jobId, cancellationToken).ConfigureAwait(false) ? JobActionOutcome.Done : JobActionOutcome.NotFound;
    }

    /// <summary>The stored result of a COMPLETED job, or null.</summary>
    public async Task<JobResult?> GetResultAsync(string jobId, string? owner, CancellationToken cancellationToken)
    {
        var job = await GetAsync(jobId, owner, cancellationToken).ConfigureAwait(false);
        if (job is not { Phase: JobPhase.Completed }) return null;
        return await results.GetAsync(jobId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// UWS 1.1 blocking WAIT: returns when the phase differs from the one seen at the start (or from
    /// <paramref name="phase"/> when given), when <paramref name="seconds"/> pass (-1 = the service's cap), or at once
    /// for a phase that will not change by itself. Reads the shared store, so it works whichever instance runs the job.
    /// </summary>
    public async Task<BrokerJob?> WaitAsync(string jobId, string? owner, int seconds, string? phase, CancellationToken cancellationToken)
    {
        var job = await GetAsync(jobId, owner, cancellationToken).ConfigureAwait(false);
        if (job is null) return null;
        var start = job.Phase;
        if (start is not (JobPhase.Pending or JobPhase.Queued or JobPhase.Executing)) return job;
        if (phase is not null && !string.Equals(phase.Trim(), UwsDocuments.Phase(start), StringComparison.OrdinalIgnoreCase)) return job;
        var limit = seconds < 0 || seconds > options.MaxWaitSeconds ? options.MaxWaitSeconds : seconds;
        var until = time.GetUtcNow() + TimeSpan.FromSeconds(limit);
        while (time.GetUtcNow() < until)
        {
            await Task.Delay(options.WaitPollInterval, time, cancellationToken).ConfigureAwait(false);
            job = await store.GetAsync(jobId, cancellationToken).ConfigureAwait(false);
            if (job is null || job.Phase != start) return job;
        }
        return job;
    }
}
