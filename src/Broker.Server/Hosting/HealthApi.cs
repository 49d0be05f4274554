using System.Globalization;
using System.Text;
using Broker.Core.Search;
using Broker.Core.Services;
using Broker.Registry.QueryLog;

namespace Broker.Server.Hosting;

/// <summary>/health/live, /health/ready (each dependency's state; degraded still serves) and /metrics (Prometheus text).</summary>
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
        app.MapGet("/metrics", (IProviderCatalog catalog, IServiceProvider services) =>
        {
            var sb = new StringBuilder();
            if (services.GetService<QueryLogWriter>() is { } log)
            {
                var c = log.Counters;
                sb.Append("# TYPE broker_query_log_entries_total counter\n");
                sb.Append(CultureInfo.InvariantCulture, $"broker_query_log_entries_total{{state=\"written\"}} {c.Written}\n");
                sb.Append(CultureInfo.InvariantCulture, $"broker_query_log_entries_total{{state=\"dropped\"}} {c.Dropped}\n");
                sb.Append(CultureInfo.InvariantCulture, $"broker_query_log_buffered {c.Buffered}\n");
            }
            sb.Append("# TYPE broker_provider_calls_total counter\n");
            foreach (var p in catalog.Current.All.Select(p => p.Snapshot()))
            {
                sb.Append(CultureInfo.InvariantCulture, $"broker_provider_calls_total{{provider=\"{p.Id}\"}} {p.Calls}\n");
                sb.Append(CultureInfo.InvariantCulture, $"broker_provider_failures_total{{provider=\"{p.Id}\"}} {p.Failures}\n");
                sb.Append(CultureInfo.InvariantCulture, $"broker_provider_circuit_open{{provider=\"{p.Id}\"}} {(p.Circuit == "closed" ? 0 : 1)}\n");
                if (p.LastLatencyMs is { } l) sb.Append(CultureInfo.InvariantCulture, $"broker_provider_last_latency_ms{{provider=\"{p.Id}\"}} {l}\n");
            }
            return Results.Text(sb.ToString(), "text/plain; version=0.0.4");
        }).WithTags("Health");
        return app;
    }
}
