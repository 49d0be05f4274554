using System.Collections.Concurrent;
using Broker.Simulators.Hosting;
using Broker.Simulators.Tap;
using Broker.TapService;

namespace Broker.Simulators.Uws;

/// <summary>
/// The async jobs of one provider. Jobs run on the thread pool; the "slow" faults hold them in EXECUTING for
/// <see cref="FaultSpec.JobDuration"/> or forever (<see cref="FaultSpec.JobsNeverFinish"/>) until aborted or deleted.
/// </summary>
internal sealed class JobStore(SimulatedProvider provider, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, UwsJob> _jobs = new(StringComparer.Ordinal);
    private long _sequence;

    public UwsJob Create(TapParameters parameters, bool authorised)
    {
        var id = $"{provider.Name}-{Interlocked.Increment(ref _sequence):D6}-{Guid.NewGuid().ToString("N")[..8]}";
        var job = new UwsJob(id, parameters.FirstValues(), Now, executionDuration: 600) { Authorised = authorised };
        _jobs[id] = job;
        return job;
    }

    public UwsJob? Find(string id) => _jobs.TryGetValue(id, out var job) ? job : null;

    public IReadOnlyList<UwsJob> All => _jobs.Values.OrderBy(j => j.CreationTime).ThenBy(j => j.Id, StringComparer.Ordinal).ToList();

    public bool Delete(string id)
    {
        if (!_jobs.TryRemove(id, out var job)) return false;
        Abort(job);
        job.Cancellation.Dispose();
        return true;
    }

    public void Abort(UwsJob job)
    {
        if (job.TryMove(Phases.Aborted, Now, Phases.Pending, Phases.Queued, Phases.Executing))
        {
            try
            {
                job.Cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Deleted concurrently: nothing left to stop.
            }
        }
    }

    /// <summary>PENDING → QUEUED and start executing in the background.</summary>
    public bool Run(UwsJob job)
    {
        if (!job.TryMove(Phases.Queued, Now, Phases.Pending)) return false;
        var faults = provider.Faults.Current;
        _ = Task.Run(() => ExecuteAsync(job, faults));
        return true;
    }

    public void Clear()
    {
        foreach (var id in _jobs.Keys.ToList()) Delete(id);
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private async Task ExecuteAsync(UwsJob job, FaultSpec faults)
    {
        CancellationToken ct;
        try
        {
            ct = job.Cancellation.Token;
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        if (!job.TryMove(Phases.Executing, Now, Phases.Queued)) return;
        try
        {
            if (faults.JobsNeverFinish) await Task.Delay(Timeout.InfiniteTimeSpan, time, ct).ConfigureAwait(false);
            if (faults.JobDuration > TimeSpan.Zero) await Task.Delay(faults.JobDuration, time, ct).ConfigureAwait(false);
            var prepared = QueryRunner.Prepare(provider, TapParameters.From(job.Parameters), faults, job.Authorised);
            if (prepared.IsError)
            {
                job.Fail(prepared.Error!, Now);
                return;
            }

            using var buffer = new MemoryStream();
            await prepared.WriteAsync(buffer, ct).ConfigureAwait(false);
            job.Complete(buffer.ToArray(), prepared.ContentType, Now);
        }
        catch (OperationCanceledException)
        {
            // Aborted or deleted: the phase was already set by Abort.
        }
        catch (Exception e)
        {
            job.Fail("Internal error: " + e.Message, Now);
        }
    }
}
