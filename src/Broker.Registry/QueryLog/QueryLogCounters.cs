namespace Broker.Registry.QueryLog;

/// <summary>The query log's counters, for /metrics.</summary>
/// <param name="Written">Entries stored in PostgreSQL since start.</param>
/// <param name="Buffered">Entries held in memory now (queued, or in a batch being retried).</param>
/// <param name="Dropped">Entries discarded because the buffer was full (PostgreSQL slow or down).</param>
/// <param name="FailedWrites">Batch writes that failed and were retried.</param>
public sealed record QueryLogCounters(long Written, long Buffered, long Dropped, long FailedWrites);
