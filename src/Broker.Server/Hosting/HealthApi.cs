using Broker.Core.Search;
using Broker.Core.Services;

namespace Broker.Server.Hosting;

/// <summary>/health/live and /health/ready (each dependency's state; degraded still serves).</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => Results.Ok(new { status = "live" })).WithTags("Health");
        app.MapGet("/health/ready", async (IEnumerable<IReadinessCheck> checks, IProviderCatalog catalog, CancellationToken ct) =>
        {
            var results = new List<ReadinessResult>();
            foreach (var check in checks)
            {
                try
                {
                    using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    cts.CancelAfter(TimeSpan.FromSeconds(2));
                    results.Add(await check.CheckAsync(cts.Token));
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    results.Add(new ReadinessResult(check.GetType().Name, ReadinessStatus.Degraded, ex.Message));
                }
            }
            var providers = catalog.Current.All.Select(p => p.Snapshot()).ToList();
            var open = providers.Where(p => p.Circuit != "closed" || p.HealthProblem is not null).Select(p => p.Id).ToList();
            results.Add(new ReadinessResult("providers",
                open.Count == 0 ? ReadinessStatus.Healthy : open.Count < providers.Count ? ReadinessStatus.Degraded : ReadinessStatus.Unhealthy,
                open.Count == 0 ? $"{providers.Count} providers" : $"unavailable: {string.Join(", ", open)}"));
            var overall = results.Max(r => r.Status);
            var body = new
            {
                status = overall.ToString().ToLowerInvariant(),
                checks = results.Select(r => new { name = r.Name, status = r.Status.ToString().ToLowerInvariant(), message = r.Message }),
            };
            return overall == ReadinessStatus.Unhealthy ? Results.Json(body, statusCode: 503) : Results.Ok(body);
        }).WithTags("Health");
        return app;
    }
}
