using System.Diagnostics;
using Broker.Core.Telemetry;
using Broker.Server.Sessions;
using Broker.Sessions;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Broker.Server.Hosting;

/// <summary>
/// Serilog from configuration (section <c>Serilog</c>), console by default, as the host's logger; and one request
/// log line per request (route, status, elapsed, query id, session hash — never the session id — and trace id).
/// </summary>
public static class LoggingSetup
{
    public static void UseBrokerSerilog(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog((services, config) =>
        {
            config.MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
                .MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning)
                .Enrich.FromLogContext()
                .Enrich.With<SessionIdRedaction>();
            if (configuration.GetSection("Serilog").Exists())
                config.ReadFrom.Configuration(configuration);
            // Settings that only change levels still log somewhere: the console unless sinks are configured.
            if (!configuration.GetSection("Serilog:WriteTo").Exists())
                config.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}");
            // Sinks registered as services also get every event (a test captures the broker's whole log so).
            foreach (var sink in services.GetServices<ILogEventSink>()) config.WriteTo.Sink(sink);
        }, preserveStaticLogger: true);
    }

    /// <summary>The request log line; placed first so that it sees the final status of every request.</summary>
    public static void UseBrokerRequestLogging(this WebApplication app) =>
        app.UseSerilogRequestLogging(o =>
        {
            o.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            o.MessageTemplate = "HTTP {RequestMethod} {Route} responded {StatusCode} in {Elapsed:0.0} ms query {QueryId} session {SessionHash} trace {TraceId}";
            o.GetLevel = (http, _, ex) =>
                ex is not null || http.Response.StatusCode >= 500 ? LogEventLevel.Error
                // Probes and scrapes come every few seconds: their lines only at Debug.
                : IsProbe(http.Request.Path) && http.Response.StatusCode < 400 ? LogEventLevel.Debug
                : LogEventLevel.Information;
            o.EnrichDiagnosticContext = (diagnostics, http) =>
            {
                diagnostics.Set("Route", (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value);
                var activity = http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpActivityFeature>()?.Activity ?? Activity.Current;
                diagnostics.Set("TraceId", activity?.TraceId.ToString());
                diagnostics.Set("QueryId", activity?.GetTagItem(BrokerTelemetry.QueryIdTag) as string);
                var sessionId = SessionHttp.GetSessionId(http);
                diagnostics.Set("SessionHash", sessionId is null ? null
                    : SessionId.ForLog(sessionId, http.RequestServices.GetRequiredService<BrokerSessionOptions>().LogHashKey));
            };
        });

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments(Telemetry.MetricsPath);
}
