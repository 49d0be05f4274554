using System.Text.Json;
using Broker.Core.Search;
using Broker.Core.Services;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Broker.Server.Hosting;

/// <summary>
/// /health/live (the process answers) and /health/ready (each dependency's state) on
/// Microsoft.Extensions.Diagnostics.HealthChecks. Every <see cref="IReadinessCheck"/> (Redis, PostgreSQL, the in-memory
/// stores) and the providers are health checks tagged "ready", each with a 2 s budget; a failing or slow dependency is
/// <c>degraded</c> (the broker still serves: uncached, session-less, query log buffered), only all providers
/// unavailable is <c>unhealthy</c> (503). The body lists every check with its status, message and duration.
/// </summary>
public static class HealthApi
{
    private const string ReadyTag = "ready";
    /// <summary>Data key of the name a check gives its own result (redis, sessions, postgres, providers-file …).</summary>
    private const string NameKey = "name";
    private static readonly TimeSpan CheckBudget = TimeSpan.FromSeconds(2);

    public static void AddBrokerHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().Add(new HealthCheckRegistration("providers", sp => new ProvidersHealthCheck(sp.GetRequiredService<IProviderCatalog>()),
            HealthStatus.Unhealthy, [ReadyTag], CheckBudget));
        // The stores' checks are registered by their own AddBroker… methods; each becomes one named health check here.
        services.AddSingleton<IConfigureOptions<HealthCheckServiceOptions>>(sp => new ConfigureOptions<HealthCheckServiceOptions>(o =>
        {
            foreach (var check in sp.GetServices<IReadinessCheck>())
                o.Registrations.Add(new HealthCheckRegistration(NameOf(check), _ => new ReadinessHealthCheck(check), HealthStatus.Degraded, [ReadyTag], CheckBudget));
        }));
    }

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = (http, _) => http.Response.WriteAsJsonAsync(new { status = "live" }),
        }).WithTags("Health").WithSummary("Liveness: the process answers (no dependency is checked)");
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(ReadyTag),
            ResponseWriter = WriteReportAsync,
        }).WithTags("Health").WithSummary("Readiness: each dependency's state; degraded still serves, unhealthy is 503");
        return app;
    }

    /// <summary>A unique registration name per check (the body shows the name the check gives its result).</summary>
    private static string NameOf(IReadinessCheck check) => check.GetType().FullName!;

    private static Task WriteReportAsync(HttpContext http, HealthReport report) =>
        http.Response.WriteAsJsonAsync(new
        {
            status = Name(report.Status),
            totalDurationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.Select(e => new
            {
                name = e.Value.Data.TryGetValue(NameKey, out var own) ? own : e.Key,
                status = Name(e.Value.Status),
                message = e.Value.Description ?? e.Value.Exception?.Message,
                durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
            }),
        }, JsonSerializerOptions.Web);

    private static string Name(HealthStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>A store's <see cref="IReadinessCheck"/> as a health check.</summary>
    private sealed class ReadinessHealthCheck(IReadinessCheck check) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var result = await check.CheckAsync(cancellationToken).ConfigureAwait(false);
            return new HealthCheckResult(result.Status switch
            {
                ReadinessStatus.Healthy => HealthStatus.Healthy,
                ReadinessStatus.Degraded => HealthStatus.Degraded,
                _ => HealthStatus.Unhealthy,
            }, result.Message, data: new Dictionary<string, object> { [NameKey] = result.Name });
        }
    }

    /// <summary>Providers with an open circuit or a failed metadata check; all of them unavailable is unhealthy.</summary>
    private sealed class ProvidersHealthCheck(IProviderCatalog catalog) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var providers = catalog.Current.All.Select(p => p.Snapshot()).ToList();
            var unavailable = providers.Where(p => p.Circuit != "closed" || p.HealthProblem is not null).Select(p => p.Id).ToList();
            return Task.FromResult(unavailable.Count == 0 ? HealthCheckResult.Healthy($"{providers.Count} providers")
                : unavailable.Count < providers.Count ? HealthCheckResult.Degraded($"unavailable: {string.Join(", ", unavailable)}")
                : HealthCheckResult.Unhealthy($"unavailable: {string.Join(", ", unavailable)}"));
        }
    }
}
