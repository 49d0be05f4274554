namespace Broker.TapService.Query;

/// <summary>A query the service cannot run, with a message for the caller (QUERY_STATUS=ERROR, a 400 at /sync).</summary>
public sealed class TapQueryException(string message) : Exception(message);
