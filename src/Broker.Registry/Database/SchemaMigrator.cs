using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Broker.Registry.Database;

/// <summary>
/// Brings the database schema up to the newest embedded migration. Everything runs in one transaction that
/// first takes a transaction-scoped advisory lock, so instances starting together migrate once: the others
/// wait on the lock, then find every version already recorded in <c>schema_version</c>.
/// </summary>
public sealed partial class SchemaMigrator
{
    /// <summary>The advisory lock key (an arbitrary constant: "broker-registry").</summary>
    internal const long AdvisoryLockKey = 0x6272_6f6b_6572_7267;

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly ILogger<SchemaMigrator> _logger;
    private readonly IReadOnlyList<Migration> _migrations;

    public SchemaMigrator(NpgsqlDataSource dataSource, TimeProvider time, ILogger<SchemaMigrator> logger)
    {
        _dataSource = dataSource;
        _time = time;
        _logger = logger;
        _migrations = Migration.LoadEmbedded();
    }

    /// <summary>The newest schema version this build knows.</summary>
    public int LatestVersion => _migrations.Count == 0 ? 0 : _migrations[^1].Version;

    /// <summary>
    /// Applies the missing migrations and returns their versions (empty when the schema was current).
    /// Throws <see cref="SchemaMismatchException"/> when an applied migration's file changed since, or the
    /// database holds a newer schema than this build knows.
    /// </summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)",
            new { key = AdvisoryLockKey }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition("""
            CREATE TABLE IF NOT EXISTS schema_version (
                version     integer PRIMARY KEY,
                name        text        NOT NULL,
                checksum    text        NOT NULL,
                applied_at  timestamptz NOT NULL)
            """, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);

        var applied = (await connection.QueryAsync<(int Version, string Checksum)>(new CommandDefinition(
            "SELECT version, checksum FROM schema_version", transaction: transaction, cancellationToken: cancellationToken))
            .ConfigureAwait(false)).ToDictionary(r => r.Version, r => r.Checksum);
        Check(applied);

        var done = new List<int>();
        foreach (var migration in _migrations.Where(m => !applied.ContainsKey(m.Version)))
        {
            // The SQL comes from our own embedded files, never from input.
            await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_version (version, name, checksum, applied_at) VALUES (@Version, @Name, @Checksum, @At)",
                new { migration.Version, migration.Name, migration.Checksum, At = _time.GetUtcNow() }, transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            done.Add(migration.Version);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (done.Count > 0) LogApplied(_logger, string.Join(",", done), LatestVersion);
        return done;
    }

    private void Check(Dictionary<int, string> applied)
    {
        foreach (var migration in _migrations)
        {
            if (applied.TryGetValue(migration.Version, out var checksum) && checksum != migration.Checksum)
                throw new SchemaMismatchException(
                    $"migration {migration.Version:0000}_{migration.Name} was changed after it was applied; add a new migration instead");
        }
        var newer = applied.Keys.Where(v => v > LatestVersion).ToList();
        if (newer.Count > 0)
            throw new SchemaMismatchException(
                $"the database has schema version {newer.Max()} but this build knows only up to {LatestVersion}; upgrade the broker");
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Registry schema migrated: applied {Versions}, now at {SchemaVersion}")]
    private static partial void LogApplied(ILogger logger, string versions, int schemaVersion);
}

/// <summary>The database schema does not match this build (a migration file changed, or the schema is newer).</summary>
public sealed class SchemaMismatchException(string message) : Exception(message);
