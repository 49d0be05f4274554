using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Broker.Registry.Database;

/// <summary>
/// Migrates the schema at start-up without holding the host back: when PostgreSQL is down the broker starts
/// anyway (searches use providers.yaml) and this service keeps trying with capped backoff until it succeeds.
/// </summary>
internal sealed partial class SchemaMigrationService(
    SchemaMigrator migrator, SchemaState state, RegistryOptions options, TimeProvider time, ILogger<SchemaMigrationService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = options.RetryInitialDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await migrator.MigrateAsync(stoppingToken).ConfigureAwait(false);
                state.MarkReady();
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (SchemaMismatchException ex)
            {
                // A changed or too-new schema will not fix itself by retrying.
                LogSchemaMismatch(logger, ex.Message);
                return;
            }
            catch (Exception ex)
            {
                LogRetry(logger, delay.TotalMilliseconds, ex.Message);
            }
            await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
            delay = Backoff.Next(delay, options.RetryMaxDelay);
        }
    }

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "PostgreSQL not reachable for migration; retrying in {DelayMs} ms: {Error}")]
    private static partial void LogRetry(ILogger logger, double delayMs, string error);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "Registry schema cannot be used: {Error}")]
    private static partial void LogSchemaMismatch(ILogger logger, string error);
}
