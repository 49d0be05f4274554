using Broker.Core.Services;
using Broker.Registry.Database;
using Dapper;
using Npgsql;

namespace Broker.Registry.Jobs;

/// <summary>Orphaned provider jobs in PostgreSQL (table <c>orphaned_job</c>), shared by every instance.</summary>
internal sealed class PostgresOrphanedJobStore(NpgsqlDataSource dataSource) : IOrphanedJobStore
{
    private const string Columns = "provider_id AS ProviderId, job_url AS JobUrl, give_up_at AS GiveUpAt, attempts AS Attempts, next_attempt_at AS NextAttemptAt";

    public async Task RememberAsync(string providerId, Uri jobUrl, DateTimeOffset giveUpAt, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO orphaned_job (job_url, provider_id, give_up_at, next_attempt_at) VALUES (@jobUrl, @providerId, @giveUpAt, @nextAttemptAt)
            ON CONFLICT (job_url) DO UPDATE SET give_up_at = LEAST(orphaned_job.give_up_at, EXCLUDED.give_up_at)
            """, new { jobUrl = jobUrl.AbsoluteUri, providerId, giveUpAt = giveUpAt.ToUniversalTime(), nextAttemptAt = nextAttemptAt.ToUniversalTime() },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<OrphanedJob>> ClaimDueAsync(DateTimeOffset now, RetryBackoff backoff, int max, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // One statement: due rows are locked (others skipped by a concurrent instance), counted and moved on by the backoff.
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"""
            UPDATE orphaned_job SET attempts = attempts + 1,
                next_attempt_at = @now + LEAST(@initial * power(2, LEAST(attempts + 1, 20)), @max) * interval '1 millisecond'
            WHERE job_url IN (
                SELECT job_url FROM orphaned_job WHERE next_attempt_at <= @now ORDER BY next_attempt_at LIMIT @limit FOR UPDATE SKIP LOCKED)
            RETURNING {Columns}
            """, new { now = now.ToUniversalTime(), initial = backoff.Initial.TotalMilliseconds, max = backoff.Max.TotalMilliseconds, limit = max },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToJob()).OrderBy(j => j.NextAttemptAt).ToList();
    }

    public async Task ForgetAsync(Uri jobUrl, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM orphaned_job WHERE job_url = @jobUrl",
            new { jobUrl = jobUrl.AbsoluteUri }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<OrphanedJob>> ForgetExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"DELETE FROM orphaned_job WHERE give_up_at <= @now RETURNING {Columns}",
            new { now = now.ToUniversalTime() }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToJob()).ToList();
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT count(*)::int FROM orphaned_job",
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private sealed record Row(string ProviderId, string JobUrl, DateTime GiveUpAt, int Attempts, DateTime NextAttemptAt)
    {
        public OrphanedJob ToJob() => new(ProviderId, new Uri(JobUrl), Time.Utc(GiveUpAt), Attempts, Time.Utc(NextAttemptAt));
    }
}
