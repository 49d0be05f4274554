using Npgsql;

namespace Broker.Registry.Database;

/// <summary>Connections for stores whose tables appear with the start-up migration.</summary>
internal static class SchemaGate
{
    /// <summary>How long a store call made during start-up waits for the migration before it tries anyway.</summary>
    internal static readonly TimeSpan StartupWait = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Opens a connection once the schema exists (<paramref name="schema"/> null: the caller migrated it), so a request
    /// that arrives while this process is still migrating a fresh database waits for its tables instead of failing on
    /// them. The wait is bounded: when PostgreSQL is down the migration cannot finish, and the caller then gets the
    /// connection error itself, not a hang.
    /// </summary>
    public static async ValueTask<NpgsqlConnection> OpenMigratedAsync(
        this NpgsqlDataSource dataSource, SchemaState? schema, TimeProvider time, CancellationToken cancellationToken)
    {
        if (schema is { IsReady: false })
        {
            try
            {
                await schema.WhenReadyAsync(cancellationToken).WaitAsync(StartupWait, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Not migrated yet: the statement below reports what is wrong (usually: PostgreSQL cannot be reached).
            }
        }
        return await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }
}
