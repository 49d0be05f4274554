using Broker.Core.Services;
using Broker.Registry.Database;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Broker.Registry.QueryLog;

/// <summary>
/// Provider health over the last <see cref="RegistryOptions.StatsWindow"/>, from <c>query_log_provider</c>.
/// Calls are the outcomes where the provider was really asked (Ok, Empty, Timeout, Error) and not answered from
/// the cache; success is Ok or Empty; p50/p95 are <c>percentile_cont</c> of their elapsed times. When PostgreSQL
/// cannot answer within <see cref="RegistryOptions.ReadTimeout"/>, the last statistics read are returned.
/// </summary>
internal sealed partial class PostgresProviderStatsSource(
    NpgsqlDataSource dataSource, RegistryOptions options, TimeProvider time, ILogger<PostgresProviderStatsSource> logger)
    : IProviderStatsSource
{
    private IReadOnlyDictionary<string, ProviderStats> _last = new Dictionary<string, ProviderStats>();

    public async Task<IReadOnlyDictionary<string, ProviderStats>> GetStatsAsync(CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - options.StatsWindow;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ReadTimeout);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(timeout.Token).ConfigureAwait(false);
            var rows = await connection.QueryAsync<(string ProviderId, long Calls, double SuccessRate, double? P50, double? P95)>(
                new CommandDefinition("""
                    SELECT provider_id, count(*) AS calls,
                           avg(CASE WHEN status IN ('Ok', 'Empty') THEN 1.0 ELSE 0.0 END)::float8 AS success_rate,
                           percentile_cont(0.5) WITHIN GROUP (ORDER BY elapsed_ms) AS p50,
                           percentile_cont(0.95) WITHIN GROUP (ORDER BY elapsed_ms) AS p95
                    FROM query_log_provider
                    WHERE created_at >= @since AND status IN ('Ok', 'Empty', 'Timeout', 'Error') AND NOT from_cache
                    GROUP BY provider_id
                    """, new { since }, cancellationToken: timeout.Token)).ConfigureAwait(false);
            var stats = rows.ToDictionary(r => r.ProviderId,
                r => new ProviderStats(r.ProviderId, r.Calls, r.SuccessRate, r.P50, r.P95, since), StringComparer.OrdinalIgnoreCase);
            Volatile.Write(ref _last, stats);
            return stats;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            LogReadFailed(logger, ex.Message);
            return Volatile.Read(ref _last);
        }
    }

    [LoggerMessage(EventId = 4030, Level = LogLevel.Warning, Message = "Provider statistics read failed; using the last ones: {Error}")]
    private static partial void LogReadFailed(ILogger logger, string error);
}
