namespace Broker.Registry.Jobs;

/// <summary>Jobs in memory (the demo's default): the same compare-and-set and lease rules, one process only.</summary>
public sealed class InMemoryJobStore(TimeProvider time) : IJobStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, BrokerJob> _jobs = new(StringComparer.Ordinal);

    public Task<BrokerJob> CreateAsync(NewJob job, CancellationToken cancellationToken)
    {
        if (job.Phase is not (JobPhase.Pending or JobPhase.Queued))
            throw new ArgumentException($"a new job is Pending or Queued, not {job.Phase}", nameof(job));
        var now = time.GetUtcNow();
        var created = new BrokerJob
        {
            Id = Guid.CreateVersion7(now).ToString("N"), Owner = job.Owner, RunId = job.RunId, Phase = job.Phase,
            Parameters = new Dictionary<string, string>(job.Parameters), CreatedAt = now,
            ExecutionDuration = TimeSpan.FromSeconds((int)job.ExecutionDuration.TotalSeconds), DestructionAt = job.DestructionAt,
        };
        lock (_gate) _jobs.Add(created.Id, created);
        return Task.FromResult(created);
    }

    public Task<BrokerJob?> GetAsync(string jobId, CancellationToken cancellationToken)
    {
        lock (_gate) return Task.FromResult(_jobs.GetValueOrDefault(jobId));
    }

    public Task<IReadOnlyList<BrokerJob>> ListAsync(string? owner, int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<BrokerJob> list = _jobs.Values.Where(j => owner is null || j.Owner == owner)
                .OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id, StringComparer.Ordinal).Take(Math.Max(0, limit)).ToList();
            return Task.FromResult(list);
        }
    }

    public Task<bool> TryTransitionAsync(string jobId, JobPhase from, JobPhase to, JobTransition? transition, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_jobs.TryGetValue(jobId, out var job) || job.Phase != from) return Task.FromResult(false);
            if (transition?.LeaseOwner is { } owner && job.LeaseOwner != owner) return Task.FromResult(false);
            var executing = to == JobPhase.Executing;
            _jobs[jobId] = job with
            {
                Phase = to,
                StartedAt = executing && from != JobPhase.Executing ? now : job.StartedAt,
                EndedAt = to.IsFinal() ? now : job.EndedAt,
                LeaseOwner = executing ? job.LeaseOwner : null,
                LeaseExpiresAt = executing ? job.LeaseExpiresAt : null,
                ResultsLocation = transition?.ResultsLocation ?? job.ResultsLocation,
                ErrorSummary = transition?.ErrorSummary ?? job.ErrorSummary,
            };
            return Task.FromResult(true);
        }
    }

    public Task<BrokerJob?> TryClaimNextAsync(string instanceId, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var next = _jobs.Values
                .Where(j => j.Phase == JobPhase.Queued || (j.Phase == JobPhase.Executing && j.LeaseExpiresAt < now))
                .OrderBy(j => j.CreatedAt).ThenBy(j => j.Id, StringComparer.Ordinal).FirstOrDefault();
            if (next is null) return Task.FromResult<BrokerJob?>(null);
            var claimed = next with
            {
                Phase = JobPhase.Executing, LeaseOwner = instanceId, LeaseExpiresAt = now + leaseDuration, StartedAt = now,
                Attempts = next.Attempts + 1,
            };
            _jobs[claimed.Id] = claimed;
            return Task.FromResult<BrokerJob?>(claimed);
        }
    }

    public Task<bool> RenewLeaseAsync(string jobId, string instanceId, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_jobs.TryGetValue(jobId, out var job) || job.Phase != JobPhase.Executing || job.LeaseOwner != instanceId)
                return Task.FromResult(false);
            _jobs[jobId] = job with { LeaseExpiresAt = now + leaseDuration };
            return Task.FromResult(true);
        }
    }

    public Task<bool> TryUpdateAsync(string jobId, JobUpdate update, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_jobs.TryGetValue(jobId, out var job)) return Task.FromResult(false);
            if (update.Parameters is not null && job.Phase != JobPhase.Pending) return Task.FromResult(false);
            var parameters = new Dictionary<string, string>(job.Parameters);
            foreach (var (k, v) in update.Parameters ?? new Dictionary<string, string>()) parameters[k] = v;
            _jobs[jobId] = job with
            {
                Parameters = parameters, RunId = update.RunId ?? job.RunId,
                ExecutionDuration = update.ExecutionDuration is { } d ? TimeSpan.FromSeconds((int)d.TotalSeconds) : job.ExecutionDuration,
                DestructionAt = update.DestructionAt ?? job.DestructionAt,
            };
            return Task.FromResult(true);
        }
    }

    public Task<bool> DeleteAsync(string jobId, CancellationToken cancellationToken)
    {
        lock (_gate) return Task.FromResult(_jobs.Remove(jobId));
    }

    public Task<IReadOnlyList<BrokerJob>> DestroyExpiredAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var expired = _jobs.Values.Where(j => j.DestructionAt <= now).ToList();
            foreach (var job in expired) _jobs.Remove(job.Id);
            return Task.FromResult<IReadOnlyList<BrokerJob>>(expired);
        }
    }
}
