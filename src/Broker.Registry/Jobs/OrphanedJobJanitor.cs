using Broker.Core.Search;
using Broker.Core.Services;
using Broker.Registry.Database;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Broker.Registry.Jobs;

/// <summary>
/// The host's background service running <see cref="OrphanedJobs.RunAsync"/> (which never throws) once the schema is
/// migrated (PostgreSQL). A host without providers (no <see cref="IProviderCatalog"/>) has no jobs to clean up.
/// </summary>
internal sealed class OrphanedJobJanitor(OrphanedJobs jobs, IServiceProvider services) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<IProviderCatalog>() is not { } catalog) return;
        try
        {
            if (services.GetService<SchemaState>() is { } schema) await schema.WhenReadyAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        await jobs.RunAsync(catalog, stoppingToken).ConfigureAwait(false);
    }
}
