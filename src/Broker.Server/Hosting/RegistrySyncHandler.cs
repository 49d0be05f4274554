using Broker.Core.Configuration;
using Broker.Registry.Providers;

namespace Broker.Server.Hosting;

/// <summary>Writes each loaded providers.yaml into the registry (PostgreSQL or memory); a database that is down defers it.</summary>
public sealed partial class RegistrySyncHandler(RegistrySyncService sync, ILogger<RegistrySyncHandler> logger) : IProvidersChangedHandler
{
    public async Task OnProvidersLoadedAsync(IReadOnlyList<ProviderConfig> configs, CancellationToken cancellationToken)
    {
        var outcome = await sync.SyncAsync(configs, cancellationToken);
        if (outcome.Result is { } r) LogSynced(logger, r.Added, r.Changed, r.Removed);
        else LogDeferred(logger, outcome.Error ?? "database not ready");
    }

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Provider registry synced: {Added} added, {Changed} changed, {Removed} removed")]
    private static partial void LogSynced(ILogger logger, int added, int changed, int removed);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Provider registry sync deferred until the database is back: {Reason}")]
    private static partial void LogDeferred(ILogger logger, string reason);
}
