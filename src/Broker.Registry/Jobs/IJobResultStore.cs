namespace Broker.Registry.Jobs;

/// <summary>A job's stored result: the document and its content type.</summary>
public sealed record JobResult(string ContentType, byte[] Body);

/// <summary>
/// Results of the broker's async jobs, where every instance can read them (PostgreSQL, or memory in the demo).
/// A result goes away with its job (UWS DELETE or the destruction sweep).
/// </summary>
public interface IJobResultStore
{
    Task SaveAsync(string jobId, JobResult result, CancellationToken cancellationToken);

    Task<JobResult?> GetAsync(string jobId, CancellationToken cancellationToken);

    Task DeleteAsync(string jobId, CancellationToken cancellationToken);
}

/// <summary>Results in memory (the demo): dropped when their job is deleted or destroyed.</summary>
public sealed class InMemoryJobResultStore : IJobResultStore, IJobDestructionListener
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, JobResult> _results = new(StringComparer.Ordinal);

    public Task SaveAsync(string jobId, JobResult result, CancellationToken cancellationToken)
    {
        _results[jobId] = result;
        return Task.CompletedTask;
    }

    public Task<JobResult?> GetAsync(string jobId, CancellationToken cancellationToken) => Task.FromResult(_results.GetValueOrDefault(jobId));

    public Task DeleteAsync(string jobId, CancellationToken cancellationToken)
    {
        _results.TryRemove(jobId, out _);
        return Task.CompletedTask;
    }

    public Task OnJobsDestroyedAsync(IReadOnlyList<BrokerJob> jobs, CancellationToken cancellationToken)
    {
        foreach (var job in jobs) _results.TryRemove(job.Id, out _);
        return Task.CompletedTask;
    }
}
