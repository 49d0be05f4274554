using Broker.Core.Configuration;
using Broker.Core.Search;

namespace Broker.Server.Hosting;

/// <summary>
/// Watches providers.yaml and swaps the registry snapshot when it changes. A broken file is logged with every
/// error and the running registry stays in use (only a broken file at start-up stops the broker).
/// </summary>
public sealed partial class ProvidersReloader(
    ProvidersLoader loader, ProviderCatalog catalog, ProvidersFileLocation location, LoadedProviders loaded, ProvidersFileStatus status,
    IEnumerable<IProvidersChangedHandler> handlers, ILogger<ProvidersReloader> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await NotifyAsync(loaded.Configs, stoppingToken);
        var full = Path.GetFullPath(location.Path);
        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(full)!, Path.GetFileName(full))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName,
        };
        var changed = new SemaphoreSlim(0);
        watcher.Changed += (_, _) => changed.Release();
        watcher.Created += (_, _) => changed.Release();
        watcher.Renamed += (_, _) => changed.Release();
        watcher.EnableRaisingEvents = true;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await changed.WaitAsync(stoppingToken);
                await Task.Delay(300, stoppingToken); // editors write in several steps; read once they are done
                while (changed.CurrentCount > 0) await changed.WaitAsync(stoppingToken);
                await ReloadAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    /// <summary>
    /// Reloads now; returns false (keeping the old registry, and saying so on /api/v1/providers, /health/ready and in
    /// the log) when the file is invalid. Throws nothing but the caller's cancellation.
    /// </summary>
    public async Task<bool> ReloadAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<ProviderConfig> configs;
        try
        {
            (configs, var registry) = loader.Load(location.Path, catalog.Current);
            catalog.Replace(registry);
            loaded.Configs = configs;
            status.Loaded();
            LogReloaded(logger, location.Path, registry.All.Count);
        }
        catch (ConfigException ex)
        {
            status.Failed(ex);
            LogInvalid(logger, location.Path, ex.Message);
            return false;
        }
        await NotifyAsync(configs, cancellationToken);
        return true;
    }

    /// <summary>Tells the handlers (registry database sync); their failure is logged, it neither undoes the load nor stops the host.</summary>
    private async Task NotifyAsync(IReadOnlyList<ProviderConfig> configs, CancellationToken cancellationToken)
    {
        foreach (var handler in handlers)
        {
            try
            {
                await handler.OnProvidersLoadedAsync(configs, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogHandlerFailed(logger, handler.GetType().Name, ex.Message);
            }
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Providers reloaded from {File}: {Count} enabled")]
    private static partial void LogReloaded(ILogger logger, string file, int count);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "Providers file {File} is invalid; keeping the running registry. {Errors}")]
    private static partial void LogInvalid(ILogger logger, string file, string errors);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "After loading the providers file, {Handler} failed: {Reason}")]
    private static partial void LogHandlerFailed(ILogger logger, string handler, string reason);
}

/// <summary>The provider entries of the last successful load of providers.yaml.</summary>
public sealed class LoadedProviders
{
    public IReadOnlyList<ProviderConfig> Configs { get; set; } = [];
}

/// <summary>Where providers.yaml was read from.</summary>
public sealed record ProvidersFileLocation(string Path);

/// <summary>Told each time providers.yaml has been loaded (start-up and reloads), e.g. to sync the registry database.</summary>
public interface IProvidersChangedHandler
{
    Task OnProvidersLoadedAsync(IReadOnlyList<ProviderConfig> configs, CancellationToken cancellationToken);
}
