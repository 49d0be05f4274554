using Broker.Registry.Database;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Broker.Registry.Jobs;

/// <summary>Told about jobs the sweep deleted, so whoever wrote their results can delete them too.</summary>
public interface IJobDestructionListener
{
    Task OnJobsDestroyedAsync(IReadOnlyList<BrokerJob> jobs, CancellationToken cancellationToken);
}

/// <summary>Deletes jobs past their destruction time, once a minute; a failed sweep is retried at the next tick.</summary>
internal sealed partial class JobDestructionSweeper(
    IJobStore store, IEnumerable<IJobDestructionListener> listeners, TimeProvider time, ILogger<JobDestructionSweeper> logger,
    SchemaState? schema = null) : BackgroundService
{
    internal static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            // The job table appears with the migration (PostgreSQL); sweeping before it would only log failures.
            if (schema is not null) await schema.WhenReadyAsync(stoppingToken).ConfigureAwait(false);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    var destroyed = await store.DestroyExpiredAsync(stoppingToken).ConfigureAwait(false);
                    if (destroyed.Count == 0) continue;
                    LogDestroyed(logger, destroyed.Count);
                    foreach (var listener in listeners)
                        await listener.OnJobsDestroyedAsync(destroyed, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogFailed(logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 4040, Level = LogLevel.Information, Message = "Destroyed {JobCount} expired jobs")]
    private static partial void LogDestroyed(ILogger logger, int jobCount);

    [LoggerMessage(EventId = 4041, Level = LogLevel.Warning, Message = "Job destruction sweep failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string error);
}
