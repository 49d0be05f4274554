namespace Broker.Registry.QueryLog;

/// <summary>Where the query-log writer puts its batches; all or nothing per batch, safe to repeat.</summary>
internal interface IQueryLogSink
{
    Task WriteAsync(IReadOnlyList<QueryLogEntry> batch, CancellationToken cancellationToken);
}
