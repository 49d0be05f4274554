namespace Broker.Registry.Jobs;

/// <summary>
/// Durable store of the broker's asynchronous jobs, shared by every broker instance. Phases change only by
/// compare-and-set; QUEUED jobs are claimed by one instance at a time under a lease the instance renews, and a
/// job whose lease expired while EXECUTING (its instance died) may be claimed again by another instance.
/// Times come from the injected <see cref="TimeProvider"/>: instances need synchronized clocks (lease ≫ skew).
/// </summary>
public interface IJobStore
{
    /// <summary>Stores a new job (Pending or Queued) with a fresh id.</summary>
    Task<BrokerJob> CreateAsync(NewJob job, CancellationToken cancellationToken);

    Task<BrokerJob?> GetAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>The newest jobs of <paramref name="owner"/> (all owners when null), at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<BrokerJob>> ListAsync(string? owner, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the job from <paramref name="from"/> to <paramref name="to"/> if it is still in <paramref name="from"/>
    /// (and, when <see cref="JobTransition.LeaseOwner"/> is set, still leased by it). Entering Executing sets the
    /// start time; entering Completed, Error or Aborted sets the end time and releases the lease.
    /// Returns false when another change came first (the race was lost) or the job does not exist.
    /// </summary>
    Task<bool> TryTransitionAsync(string jobId, JobPhase from, JobPhase to, JobTransition? transition, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the oldest QUEUED job — or EXECUTING job whose lease expired — for <paramref name="instanceId"/>:
    /// sets it Executing under a lease of <paramref name="leaseDuration"/>. Concurrent claimers get distinct jobs
    /// (rows locked by another claimer are skipped). Returns null when there is nothing to claim.
    /// </summary>
    Task<BrokerJob?> TryClaimNextAsync(string instanceId, TimeSpan leaseDuration, CancellationToken cancellationToken);

    /// <summary>Extends the lease (heartbeat); false when the instance no longer holds it (taken over or finished).</summary>
    Task<bool> RenewLeaseAsync(string jobId, string instanceId, TimeSpan leaseDuration, CancellationToken cancellationToken);

    /// <summary>
    /// Changes what UWS lets a caller change: parameters (merged, only while PENDING), run id, execution duration and
    /// destruction time. Returns false when the job does not exist or parameters were given and it is no longer PENDING.
    /// </summary>
    Task<bool> TryUpdateAsync(string jobId, JobUpdate update, CancellationToken cancellationToken);

    /// <summary>Deletes a job (UWS DELETE); false when it did not exist.</summary>
    Task<bool> DeleteAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Deletes every job whose destruction time has passed and returns them (so their results can be removed).</summary>
    Task<IReadOnlyList<BrokerJob>> DestroyExpiredAsync(CancellationToken cancellationToken);
}
