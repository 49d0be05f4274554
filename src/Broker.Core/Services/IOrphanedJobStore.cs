namespace Broker.Core.Services;

/// <summary>
/// A job the broker created on a provider (a UWS job) and could not delete: deleted again later until the provider
/// confirms or <see cref="GiveUpAt"/> (the job's destruction time) has passed.
/// </summary>
public sealed record OrphanedJob(string ProviderId, Uri JobUrl, DateTimeOffset GiveUpAt, int Attempts, DateTimeOffset NextAttemptAt);

/// <summary>Where orphaned provider jobs wait: PostgreSQL when configured (every instance sees them), memory otherwise.</summary>
public interface IOrphanedJobStore
{
    /// <summary>Remembers a job (once per URL: remembering it again keeps its attempts and the earlier give-up time).</summary>
    Task RememberAsync(string providerId, Uri jobUrl, DateTimeOffset giveUpAt, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken);

    /// <summary>
    /// Takes up to <paramref name="max"/> jobs whose next attempt is due at <paramref name="now"/>, counts the attempt and
    /// moves their next attempt on by <paramref name="backoff"/>, in one step (another instance does not take them too).
    /// </summary>
    Task<IReadOnlyList<OrphanedJob>> ClaimDueAsync(DateTimeOffset now, RetryBackoff backoff, int max, CancellationToken cancellationToken);

    /// <summary>Forgets a job the provider confirmed deleted.</summary>
    Task ForgetAsync(Uri jobUrl, CancellationToken cancellationToken);

    /// <summary>Forgets the jobs whose give-up time is not after <paramref name="now"/> (the provider destroys them itself) and returns them.</summary>
    Task<IReadOnlyList<OrphanedJob>> ForgetExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>How many jobs wait.</summary>
    Task<int> CountAsync(CancellationToken cancellationToken);
}

/// <summary>Exponential backoff: <see cref="Initial"/> after the first failure, doubling, at most <see cref="Max"/>.</summary>
public sealed record RetryBackoff(TimeSpan Initial, TimeSpan Max)
{
    /// <summary>The wait after <paramref name="attempts"/> failed attempts (0 = the failure that made the job an orphan).</summary>
    public TimeSpan After(int attempts) =>
        TimeSpan.FromTicks(Math.Min(Max.Ticks, Initial.Ticks * (1L << Math.Clamp(attempts, 0, 20))));
}

/// <summary>The in-memory <see cref="IOrphanedJobStore"/> (one instance, lost on restart): the demo's and the default.</summary>
public sealed class InMemoryOrphanedJobStore : IOrphanedJobStore
{
    private readonly Dictionary<string, OrphanedJob> _jobs = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public Task RememberAsync(string providerId, Uri jobUrl, DateTimeOffset giveUpAt, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var key = jobUrl.AbsoluteUri;
            _jobs[key] = _jobs.TryGetValue(key, out var known)
                ? known with { GiveUpAt = giveUpAt < known.GiveUpAt ? giveUpAt : known.GiveUpAt }
                : new OrphanedJob(providerId, jobUrl, giveUpAt, 0, nextAttemptAt);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<OrphanedJob>> ClaimDueAsync(DateTimeOffset now, RetryBackoff backoff, int max, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var due = _jobs.Values.Where(j => j.NextAttemptAt <= now).OrderBy(j => j.NextAttemptAt).Take(max).ToList();
            var claimed = due.Select(j => j with { Attempts = j.Attempts + 1, NextAttemptAt = now + backoff.After(j.Attempts + 1) }).ToList();
            foreach (var job in claimed) _jobs[job.JobUrl.AbsoluteUri] = job;
            return Task.FromResult<IReadOnlyList<OrphanedJob>>(claimed);
        }
    }

    public Task ForgetAsync(Uri jobUrl, CancellationToken cancellationToken)
    {
        lock (_lock) _jobs.Remove(jobUrl.AbsoluteUri);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<OrphanedJob>> ForgetExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var expired = _jobs.Values.Where(j => j.GiveUpAt <= now).ToList();
            foreach (var job in expired) _jobs.Remove(job.JobUrl.AbsoluteUri);
            return Task.FromResult<IReadOnlyList<OrphanedJob>>(expired);
        }
    }

    public Task<int> CountAsync(CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult(_jobs.Count);
    }
}
