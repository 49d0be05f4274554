using Broker.Core.Search;
using Broker.Core.Services;

namespace Broker.Server.Rest;

/// <summary><c>/api/v1/providers</c>: the registry with each provider's live state and, with a database, its recent statistics.</summary>
public static class ProvidersApi
{
    public static IEndpointRouteBuilder MapProvidersApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/providers", async (IProviderCatalog catalog, IServiceProvider services, CancellationToken ct) =>
        {
            var registry = catalog.Current;
            IReadOnlyDictionary<string, ProviderStats> stats = new Dictionary<string, ProviderStats>();
            if (services.GetService<IProviderStatsSource>() is { } source)
            {
                try { stats = await source.GetStatsAsync(ct); }
                catch (Exception ex) when (ex is not OperationCanceledException) { stats = new Dictionary<string, ProviderStats>(); }
            }
            var enabled = registry.All.Select(p => new ProviderView(p.Snapshot(), p.Capabilities, stats.GetValueOrDefault(p.Id)));
            var disabled = registry.Disabled.Select(c => new ProviderView(
                new ProviderState { Id = c.Id, Type = c.Type, Url = c.Url.ToString(), Title = c.Title, Enabled = false, Circuit = "closed" },
                c.Capabilities, stats.GetValueOrDefault(c.Id)));
            return Results.Ok(new { providers = enabled.Concat(disabled).ToList() });
        }).WithTags("Providers").WithSummary("The provider registry with live state (circuit, last error, latency)");
        return app;
    }

    /// <summary>One provider as /api/v1/providers shows it.</summary>
    public sealed record ProviderView(ProviderState State, Broker.Core.Providers.ProviderCapabilities Capabilities, ProviderStats? Stats);
}
