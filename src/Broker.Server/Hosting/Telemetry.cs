using System.Diagnostics.Metrics;
using Broker.Core.Search;
using Broker.Core.Telemetry;
using Broker.Registry.QueryLog;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Broker.Server.Hosting;

/// <summary>
/// OpenTelemetry traces and metrics: ASP.NET Core (request rate and latency per route), HttpClient (provider
/// calls), Npgsql, Redis (command spans; the stores' operation latency is on the broker's meter), the .NET runtime and the broker's own <see cref="BrokerMetrics"/> meter and spans. Metrics are
/// served at /metrics by the Prometheus exporter (text format, or OpenMetrics when the scraper asks for it);
/// traces (and metrics) also go to an OTLP collector when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is configured.
/// </summary>
public static class Telemetry
{
    public const string MetricsPath = "/metrics";

    public static void AddBrokerTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<BrokerMetrics>();
        builder.Services.AddSingleton<StateInstruments>();
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("vso-broker"))
            .WithMetrics(m => m
                .AddMeter(BrokerMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .WithoutOtherHostsMeters()
                .AddPrometheusExporter())
            .WithTracing(t => t
                .AddSource(BrokerTelemetry.SourceName)
                .AddAspNetCoreInstrumentation(o => o.Filter = http =>
                    !http.Request.Path.StartsWithSegments(MetricsPath) && !http.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddRedisInstrumentation(o => o.FlushInterval = TimeSpan.FromSeconds(1))
                .ConfigureRedisInstrumentation((sp, redis) => RedisTracing.Attach(sp, redis)));
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) otel.UseOtlpExporter();
    }

    /// <summary>
    /// Drops instruments of meters made by another host's meter factory (ASP.NET Core's, HttpClientFactory's and the
    /// broker's own meters come from the host's <see cref="IMeterFactory"/>). OpenTelemetry listens to every meter of
    /// a name in the process and merges same-named instruments into one stream, so with two brokers in one process
    /// (the test hosts, or an embedding) each /metrics would count the other's requests, and when one broker stopped,
    /// its disposed meters would retire the shared streams and the other's request and provider series would vanish
    /// from its /metrics. Meters without a factory (the runtime's, Npgsql's) are process-wide and stay.
    /// </summary>
    private static MeterProviderBuilder WithoutOtherHostsMeters(this MeterProviderBuilder metrics)
    {
        if (metrics is not IDeferredMeterProviderBuilder deferred)
            throw new InvalidOperationException("The meter provider is not built from the host's services");
        deferred.Configure((services, builder) =>
        {
            var own = services.GetRequiredService<IMeterFactory>();
            builder.AddView(instrument => instrument.Meter.Scope is IMeterFactory factory && !ReferenceEquals(factory, own)
                ? MetricStreamConfiguration.Drop
                : null);
        });
        return metrics;
    }

    /// <summary>Serves /metrics (after creating the observable instruments over live state).</summary>
    public static void MapBrokerMetrics(this WebApplication app)
    {
        app.Services.GetRequiredService<StateInstruments>();
        app.MapPrometheusScrapingEndpoint(MetricsPath);
    }

    /// <summary>
    /// Instruments read when scraped from state that lives elsewhere: each provider's circuit and last latency
    /// (from the current registry snapshot, so a reload shows the new set) and the query log's queue.
    /// </summary>
    internal sealed class StateInstruments
    {
        public StateInstruments(BrokerMetrics metrics, IProviderCatalog catalog, IServiceProvider services)
        {
            var meter = metrics.Meter;
            meter.CreateObservableGauge("broker.provider.circuit_open",
                () => catalog.Current.All.Select(p => new Measurement<int>(p.IsCircuitOpen ? 1 : 0, Provider(p.Id))),
                unit: null, description: "1 while the provider's circuit breaker is open (calls are not made)");
            meter.CreateObservableGauge("broker.provider.last_latency",
                () => catalog.Current.All.Select(p => p.Snapshot()).Where(s => s.LastLatencyMs is not null)
                    .Select(s => new Measurement<long>(s.LastLatencyMs!.Value, Provider(s.Id))),
                unit: "ms", description: "Duration of the provider's last call");
            if (services.GetService<QueryLogWriter>() is not { } log) return;
            meter.CreateObservableCounter("broker.query_log.entries",
                () => Entries(log.Counters), unit: "{entry}", description: "Query log entries written to PostgreSQL or dropped (buffer full)");
            meter.CreateObservableCounter("broker.query_log.failed_writes",
                () => log.Counters.FailedWrites, unit: "{batch}", description: "Query log batch writes that failed and were retried");
            meter.CreateObservableGauge("broker.query_log.queue_depth",
                () => log.Counters.Buffered, unit: "{entry}", description: "Query log entries waiting in memory (queued or being retried)");
        }

        private static KeyValuePair<string, object?> Provider(string id) => new("provider", id);

        private static IEnumerable<Measurement<long>> Entries(QueryLogCounters c) =>
        [
            new(c.Written, new KeyValuePair<string, object?>("state", "written")),
            new(c.Dropped, new KeyValuePair<string, object?>("state", "dropped")),
        ];
    }
}
