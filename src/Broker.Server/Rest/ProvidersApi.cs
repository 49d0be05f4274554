using Broker.Core.Search;
using Broker.Core.Services;
using Broker.Registry.Providers;

namespace Broker.Server.Rest;

/// <summary>
/// <c>/api/v1/providers</c>: each provider of the registry with its live state (circuit, last error, latency), its
/// registry record (added/updated, change history) and, with a database, its statistics over the last hour.
/// </summary>
public static class ProvidersApi
{
    public static IEndpointRouteBuilder MapProvidersApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/providers", async (IProviderCatalog catalog, IProviderRegistryStore registryStore, IServiceProvider services, CancellationToken ct) =>
        {
            var registry = catalog.Current;
            var stats = await TryAsync(ct, c => services.GetService<IProviderStatsSource>() is { } s ? s.GetStatsAsync(c)
                : Task.FromResult<IReadOnlyDictionary<string, ProviderStats>>(new Dictionary<string, ProviderStats>()));
            var entries = (await TryAsync(ct, registryStore.ListAsync))?.ToDictionary(e => e.Id, StringComparer.OrdinalIgnoreCase);
            var enabled = registry.All.Select(p => ProviderView.Of(p.Snapshot(), p.Capabilities,
                stats?.GetValueOrDefault(p.Id), entries?.GetValueOrDefault(p.Id)));
            var disabled = registry.Disabled.Select(c => ProviderView.Of(
                new ProviderState { Id = c.Id, Type = c.Type, Url = c.Url.ToString(), Title = c.Title, Enabled = false, Circuit = "closed" },
                c.Capabilities, stats?.GetValueOrDefault(c.Id), entries?.GetValueOrDefault(c.Id)));
            var file = services.GetService<Broker.Server.Hosting.ProvidersFileStatus>()?.Current;
            return Results.Ok(new ProviderList(enabled.Concat(disabled).ToList(), file));
        }).WithTags("Providers").WithSummary("The provider registry with live state (circuit, last error, latency)")
          .Produces<ProviderList>();
        return app;
    }

    /// <summary>Statistics and registry records are extras: a slow or failing database must not fail the listing.</summary>
    private static async Task<T?> TryAsync<T>(CancellationToken ct, Func<CancellationToken, Task<T>> read) where T : class
    {
        try
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(TimeSpan.FromSeconds(2));
            return await read(cts.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return null;
        }
    }
}
