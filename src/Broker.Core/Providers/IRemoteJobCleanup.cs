namespace Broker.Core.Providers;

/// <summary>An adapter that creates jobs on its provider (UWS) and can delete one again for the orphaned-job janitor.</summary>
public interface IRemoteJobCleanup
{
    /// <summary>
    /// Deletes the job once (no retry; the janitor retries with backoff). Returns null when the provider confirmed
    /// (a 2xx or 3xx answer, or 404/410: the job is gone), else why not; never throws for a provider failure.
    /// </summary>
    Task<string?> DeleteJobAsync(Uri jobUrl, CancellationToken cancellationToken);
}
