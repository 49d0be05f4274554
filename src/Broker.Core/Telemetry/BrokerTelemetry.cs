using System.Diagnostics;

namespace Broker.Core.Telemetry;

/// <summary>The broker's own trace spans (a search, each provider call); the host exports them with OpenTelemetry.</summary>
public static class BrokerTelemetry
{
    /// <summary>Name of the activity source; the host's tracer listens to it.</summary>
    public const string SourceName = "Broker";

    /// <summary>Tag naming the query id on the request's span, which the request log line reads.</summary>
    public const string QueryIdTag = "broker.query_id";

    public static readonly ActivitySource Source = new(SourceName);
}
