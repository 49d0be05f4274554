using Dapper;
using Npgsql;

namespace Broker.Registry.QueryLog;

/// <summary>
/// Writes a batch with two set-based inserts (unnest of parameter arrays) in one transaction. A batch retried
/// after an unclear commit is harmless: rows already present are skipped by their query id.
/// </summary>
internal sealed class PostgresQueryLogSink(NpgsqlDataSource dataSource) : IQueryLogSink
{
    public async Task WriteAsync(IReadOnlyList<QueryLogEntry> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0) return;
        var outcomes = batch.SelectMany(e => e.Providers.Select(p => (Entry: e, Row: p))).ToList();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var inserted = (await connection.QueryAsync<string>(new CommandDefinition("""
            INSERT INTO query_log (query_id, created_at, session_hash, query, providers, record_count, total, truncated, elapsed_ms)
            SELECT q.id, q.created_at, q.session_hash, q.query::jsonb, q.providers::jsonb, q.record_count, q.total, q.truncated, q.elapsed_ms
            FROM unnest(@ids, @createdAt, @sessionHashes, @queries, @providers, @recordCounts, @totals, @truncated, @elapsed)
                 AS q(id, created_at, session_hash, query, providers, record_count, total, truncated, elapsed_ms)
            ON CONFLICT (query_id) DO NOTHING
            RETURNING query_id
            """, new
            {
                ids = batch.Select(e => e.QueryId).ToArray(),
                createdAt = batch.Select(e => e.CreatedAt.ToUniversalTime()).ToArray(),
                sessionHashes = batch.Select(e => e.SessionHash).ToArray(),
                queries = batch.Select(e => e.QueryJson).ToArray(),
                providers = batch.Select(e => e.ProvidersJson).ToArray(),
                recordCounts = batch.Select(e => e.RecordCount).ToArray(),
                totals = batch.Select(e => e.Total).ToArray(),
                truncated = batch.Select(e => e.Truncated).ToArray(),
                elapsed = batch.Select(e => e.ElapsedMs).ToArray(),
            }, tx, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var fresh = outcomes.Where(o => inserted.Contains(o.Entry.QueryId)).ToList();
        if (fresh.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO query_log_provider (query_id, provider_id, created_at, status, elapsed_ms, record_count, from_cache)
                SELECT * FROM unnest(@ids, @providerIds, @createdAt, @statuses, @elapsed, @recordCounts, @fromCache)
                ON CONFLICT (query_id, provider_id) DO NOTHING
                """, new
                {
                    ids = fresh.Select(o => o.Entry.QueryId).ToArray(),
                    providerIds = fresh.Select(o => o.Row.ProviderId).ToArray(),
                    createdAt = fresh.Select(o => o.Entry.CreatedAt.ToUniversalTime()).ToArray(),
                    statuses = fresh.Select(o => o.Row.Status).ToArray(),
                    elapsed = fresh.Select(o => o.Row.ElapsedMs).ToArray(),
                    recordCounts = fresh.Select(o => o.Row.RecordCount).ToArray(),
                    fromCache = fresh.Select(o => o.Row.FromCache).ToArray(),
                }, tx, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
