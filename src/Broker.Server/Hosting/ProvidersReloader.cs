using Broker.Core.Configuration;
using Broker.Core.Search;

namespace Broker.Server.Hosting;

/// <summary>
/// Watches providers.yaml and swaps the registry snapshot when it changes. A broken file is logged with every
/// error and the running registry stays in use (only a broken file at start-up stops the broker).
/// </summary>
public sealed partial class ProvidersReloader(
    ProvidersLoader loader, ProviderCatalog catalog, ProvidersFileLocation location, LoadedProviders loaded,
    IEnumerable<IProvidersChangedHandler> handlers, ILogger<ProvidersReloader> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var handler in handlers) await handler.OnProvidersLoadedAsync(loaded.Configs, stoppingToken);
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
        while (!stoppingToken.IsCancellationRequested)
        {
            await changed.WaitAsync(stoppingToken);
            await Task.Delay(300, stoppingToken); // editors write in several steps; read once they are done
            while (changed.CurrentCount > 0) await changed.WaitAsync(stoppingToken);
            await ReloadAsync(stoppingToken);
        }
    }

    /// <summary>Reloads now; returns false (keeping the old registry) when the file is invalid.</summary>
    public async Task<bool> ReloadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var (configs, registry) = loader.Load(location.Path, catalog.Current);
            catalog.Replace(registry);
            loaded.Configs = configs;
            LogReloaded(logger, location.Path, registry.All.Count);
            foreach (var handler in handlers) await handler.OnProvidersLoadedAsync(configs, cancellationToken);
            return true;
        }
        catch (ConfigException ex)
        {
            LogInvalid(logger, location.Path, ex.Message);
            return false;
        }
        catch (IOException ex)
        {
            LogInvalid(logger, location.Path, ex.Message);
            return false;
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Providers reloaded from {File}: {Count} enabled")]
    private static partial void LogReloaded(ILogger logger, string file, int count);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "Providers file {File} is invalid; keeping the running registry. {Errors}")]
    private static partial void LogInvalid(ILogger logger, string file, string errors);
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
