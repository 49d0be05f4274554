using Broker.Registry.Database;
using Dapper;
using Npgsql;

namespace Broker.Registry.Jobs;

/// <summary>
/// Jobs in PostgreSQL (table <c>job</c>); every phase change is one conditional UPDATE. Calls made while this process
/// still migrates the schema (<c>schema</c>; null when the caller migrated it) wait for the table (<see cref="SchemaGate"/>).
/// </summary>
internal sealed class PostgresJobStore(NpgsqlDataSource dataSource, TimeProvider time, SchemaState? schema = null) : IJobStore
{
    private const string Columns = """
        id, owner, run_id, phase, parameters::text AS parameters, created_at, started_at, ended_at, execution_duration,
        destruction_at, results_location, error_summary, lease_owner, lease_expires_at, attempts
        """;

    public async Task<BrokerJob> CreateAsync(NewJob job, CancellationToken cancellationToken)
    {
        if (job.Phase is not (JobPhase.Pending or JobPhase.Queued))
            throw new ArgumentException($"a new job is Pending or Queued, not {job.Phase}", nameof(job));
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenMigratedAsync(schema, time, cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleAsync<JobRow>(new CommandDefinition($"""
            INSERT INTO job (id, owner, run_id, phase, parameters, created_at, execution_duration, destruction_at)
            VALUES (@id, @owner, @runId, @phase, @parameters::jsonb, @now, @executionDuration, @destructionAt)
            RETURNING {Columns}
            """, new
            {
                id = Guid.CreateVersion7(now).ToString("N"), owner = job.Owner, runId = job.RunId, phase = job.Phase.ToDb(),
                parameters = Json.Serialize(job.Parameters), now, executionDuration = (int)job.ExecutionDuration.TotalSeconds,
                destructionAt = job.DestructionAt?.ToUniversalTime(),
            }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row.ToJob();
    }

    public async Task<BrokerJob?> GetAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenMigratedAsync(schema, time, cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<JobRow>(new CommandDefinition(
            $"SELECT {Columns} FROM job WHERE id = @jobId", new { jobId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToJob();
    }

    public async Task<IReadOnlyList<BrokerJob>> ListAsync(string? owner, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenMigratedAsync(schema, time, cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<JobRow>(new CommandDefinition($"""
            SELECT {Columns} FROM job WHERE (@owner::text IS NULL OR owner = @owner::text)
            ORDER BY created_at DESC, id DESC LIMIT @limit
            """, new { owner, limit = Math.Max(0, limit) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToJob()).ToList();
    }

    public async Task<bool> TryTransitionAsync(string jobId, JobPhase from, JobPhase to, JobTransition? transition, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenMigratedAsync(schema, time, cancellationToken).ConfigureAwait(false);
        // Compare-and-set: the row changes only if it is still in the expected phase (and lease); no row, race lost.
        var changed = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition("""
            UPDATE job SET
                phase = @to,
                started_at = CASE WHEN @entersExecuting THEN @now ELSE started_at END,
                ended_at = CASE WHEN @final THEN @now ELSE ended_at END,
                lease_owner = CASE WHEN @to = 'EXECUTING' THEN lease_owner ELSE NULL END,
                lease_expires_at = CASE WHEN @to = 'EXECUTING' THEN lease_expires_at ELSE NULL END,
                results_location = coalesce(@resultsLocation, results_location),
                error_summary = coalesce(@errorSummary, error_summary)
            WHERE id = @jobId AND phase = @from AND (@leaseOwner::text IS NULL OR lease_owner = @leaseOwner::text)
            RETURNING id
            """, new
            {
                jobId, from = from.ToDb(), to = to.ToDb(), now, entersExecuting = to == JobPhase.Executing && from != JobPhase.Executing,
                final = to.IsFinal(), leaseOwner = transition?.LeaseOwner, resultsLocation = transition?.ResultsLocation,
                errorSummary = transition?.ErrorSummary,
            }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return changed is not null;
    }

    public async Task<BrokerJob?> TryClaimNextAsync(string instanceId, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenMigratedAsync(schema, time, cancellationToken).ConfigureAwait(false);
        // SKIP LOCKED: a row another claimer is taking is passed over, so concurrent claimers get distinct jobs.
        var row = await connection.QuerySingleOrDefaultAsync<JobRow>(new CommandDefinition($"""
            UPDATE job SET phase = 'EXECUTING', lease_owner = @instanceId, lease_expires_at = @expires,
                           started_at = @now, attempts = attempts + 1
            WHERE id = (
                SELECT id FROM job
                WHERE phase = 'QUEUED' OR (phase = 'EXECUTING' AND lease_expires_at < @now)
                ORDER BY created_at, id
                LIMIT 1
                FOR UPDATE SKIP LOCKED)
            RETURNING {Columns}
            """, new { instanceId, now, expires = now + leaseDuration }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToJob();
    }

    public async Task<bool> RenewLeaseAsync(string jobId, string instanceId, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenMigratedAsync(schema, time, cancellationToken).ConfigureAwait(false);
        var renewed = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE job SET lease_expires_at = @expires
            WHERE id = @jobId AND phase = 'EXECUTING' AND lease_owner = @instanceId
            """, new { jobId, instanceId, expires = now + leaseDuration }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return renewed == 1;
    }

    public async Task<bool> TryUpdateAsync(string jobId, JobUpdate update, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenMigratedAsync(schema, time, cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE job SET
                parameters = parameters || coalesce(@parameters::jsonb, '{}'::jsonb),
                run_id = coalesce(@runId, run_id),
                execution_duration = coalesce(@executionDuration, execution_duration),
                destruction_at = coalesce(@destructionAt, destruction_at)
            WHERE id = @jobId AND (@parameters::jsonb IS NULL OR phase = 'PENDING')
            """, new
            {
                jobId, parameters = update.Parameters is null ? null : Json.Serialize(update.Parameters), runId = update.RunId,
                executionDuration = update.ExecutionDuration is { } d ? (int?)(int)d.TotalSeconds : null,
                destructionAt = update.DestructionAt?.ToUniversalTime(),
            }, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }

    public async Task<bool> DeleteAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenMigratedAsync(schema, time, cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition("DELETE FROM job WHERE id = @jobId", new { jobId },
            cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }

    public async Task<IReadOnlyList<BrokerJob>> DestroyExpiredAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenMigratedAsync(schema, time, cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<JobRow>(new CommandDefinition(
            $"DELETE FROM job WHERE destruction_at <= @now RETURNING {Columns}", new { now }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToJob()).ToList();
    }

#pragma warning disable IDE1006 // Column names, for Dapper's constructor mapping.
    private sealed record JobRow(string Id, string? Owner, string? Run_Id, string Phase, string Parameters, DateTime Created_At,
        DateTime? Started_At, DateTime? Ended_At, int Execution_Duration, DateTime? Destruction_At, string? Results_Location,
        string? Error_Summary, string? Lease_Owner, DateTime? Lease_Expires_At, int Attempts)
    {
        public BrokerJob ToJob() => new()
        {
            Id = Id, Owner = Owner, RunId = Run_Id, Phase = JobPhases.FromDb(Phase),
            Parameters = Json.Deserialize<Dictionary<string, string>>(Parameters) ?? [],
            CreatedAt = Time.Utc(Created_At), StartedAt = Time.Utc(Started_At), EndedAt = Time.Utc(Ended_At),
            ExecutionDuration = TimeSpan.FromSeconds(Execution_Duration), DestructionAt = Time.Utc(Destruction_At),
            ResultsLocation = Results_Location, ErrorSummary = Error_Summary, LeaseOwner = Lease_Owner,
            LeaseExpiresAt = Time.Utc(Lease_Expires_At), Attempts = Attempts,
        };
    }
#pragma warning restore IDE1006
}
