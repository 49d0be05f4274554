using Broker.Core.Services;
using Broker.Sessions;
using Serilog.Core;
using Serilog.Events;

namespace Broker.Server.Hosting;

/// <summary>
/// A session id in a request path (<c>DELETE /api/v1/sessions/{id}</c>) would reach every log event of that request
/// through the <c>RequestPath</c>/<c>Path</c> properties; each such segment is logged as <c>~</c> and its keyed log
/// hash instead, the same hash as the request line's session.
/// </summary>
internal sealed class SessionIdRedaction : ILogEventEnricher
{
    private static readonly string[] PathProperties = ["RequestPath", "Path"];

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        foreach (var name in PathProperties)
        {
            if (!logEvent.Properties.TryGetValue(name, out var value) || value is not ScalarValue { Value: string path }) continue;
            if (Redact(path) is { } redacted) logEvent.AddOrUpdateProperty(new LogEventProperty(name, new ScalarValue(redacted)));
        }
    }

    /// <summary>The path with each session-id segment replaced; null when it has none.</summary>
    internal static string? Redact(string path)
    {
        var segments = path.Split('/');
        var changed = false;
        for (var i = 0; i < segments.Length; i++)
        {
            if (!SessionId.IsWellFormed(segments[i])) continue;
            segments[i] = "~" + SessionLogHash.Of(segments[i]);
            changed = true;
        }
        return changed ? string.Join('/', segments) : null;
    }
}
