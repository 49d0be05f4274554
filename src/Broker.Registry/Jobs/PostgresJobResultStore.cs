using Dapper;
using Npgsql;

namespace Broker.Registry.Jobs;

/// <summary>Results in PostgreSQL (table <c>job_result</c>, deleted by cascade with their job).</summary>
internal sealed class PostgresJobResultStore(NpgsqlDataSource dataSource) : IJobResultStore
{
    public async Task SaveAsync(string jobId, JobResult result, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO job_result (job_id, content_type, body) VALUES (@jobId, @contentType, @body)
            ON CONFLICT (job_id) DO UPDATE SET content_type = excluded.content_type, body = excluded.body
            """, new { jobId, contentType = result.ContentType, body = result.Body }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<JobResult?> GetAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<ResultRow>(new CommandDefinition(
            "SELECT content_type, body FROM job_result WHERE job_id = @jobId", new { jobId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row is null ? null : new JobResult(row.Content_Type, row.Body);
    }

    public async Task DeleteAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM job_result WHERE job_id = @jobId", new { jobId },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

#pragma warning disable IDE1006 // Column names, for Dapper's constructor mapping.
    private sealed record ResultRow(string Content_Type, byte[] Body);
#pragma warning restore IDE1006
}
