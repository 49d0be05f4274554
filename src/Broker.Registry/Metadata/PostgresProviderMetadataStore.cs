using Broker.Core.Services;
using Broker.Registry.Database;
using Dapper;
using Npgsql;

namespace Broker.Registry.Metadata;

/// <summary>
/// TAP provider metadata (VOSI /tables) in PostgreSQL: a save replaces the provider's tables and columns in one
/// transaction, so a load never sees half of two reads. Until this process has migrated the schema (<c>schema</c>;
/// null when the caller migrated it), the tables may not exist yet: a load finds nothing and a save is left to the next
/// metadata check, rather than failing statements at start-up or holding the check until PostgreSQL is reachable.
/// </summary>
internal sealed class PostgresProviderMetadataStore(NpgsqlDataSource dataSource, SchemaState? schema = null) : IProviderMetadataStore
{
    private bool SchemaMissing => schema is { IsReady: false };

    public async Task SaveAsync(string providerId, ProviderMetadata metadata, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(providerId);
        ArgumentNullException.ThrowIfNull(metadata);
        if (SchemaMissing) return;
        var columns = metadata.Tables.SelectMany((t, ti) => t.Columns.Select((c, ci) => (Table: ti, Ordinal: ci, Column: c))).ToList();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Upsert of the parent row first: its row lock serializes two saves of the same provider.
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO provider_metadata (provider_id, read_at) VALUES (@providerId, @readAt)
            ON CONFLICT (provider_id) DO UPDATE SET read_at = EXCLUDED.read_at
            """, new { providerId, readAt = metadata.ReadAt.ToUniversalTime() }, tx, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM provider_table WHERE provider_id = @providerId",
            new { providerId }, tx, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO provider_table (provider_id, ordinal, name)
            SELECT @providerId, t.ordinal, t.name FROM unnest(@ordinals, @names) AS t(ordinal, name)
            """, new
            {
                providerId,
                ordinals = Enumerable.Range(0, metadata.Tables.Count).ToArray(),
                names = metadata.Tables.Select(t => t.Name).ToArray(),
            }, tx, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO provider_column (provider_id, table_ordinal, ordinal, name, datatype, unit, ucd)
            SELECT @providerId, c.t, c.o, c.name, c.datatype, c.unit, c.ucd
            FROM unnest(@tables, @ordinals, @names, @datatypes, @units, @ucds) AS c(t, o, name, datatype, unit, ucd)
            """, new
            {
                providerId,
                tables = columns.Select(c => c.Table).ToArray(),
                ordinals = columns.Select(c => c.Ordinal).ToArray(),
                names = columns.Select(c => c.Column.Name).ToArray(),
                datatypes = columns.Select(c => c.Column.Datatype).ToArray(),
                units = columns.Select(c => c.Column.Unit).ToArray(),
                ucds = columns.Select(c => c.Column.Ucd).ToArray(),
            }, tx, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<ProviderMetadata?> LoadAsync(string providerId, CancellationToken cancellationToken)
    {
        if (SchemaMissing) return null;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        var readAt = await connection.QuerySingleOrDefaultAsync<DateTime?>(new CommandDefinition(
            "SELECT read_at FROM provider_metadata WHERE provider_id = @providerId", new { providerId }, tx,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (readAt is null) return null;
        var tables = (await connection.QueryAsync<(int Ordinal, string Name)>(new CommandDefinition(
            "SELECT ordinal, name FROM provider_table WHERE provider_id = @providerId ORDER BY ordinal", new { providerId }, tx,
            cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        var columns = (await connection.QueryAsync<(int Table, string Name, string? Datatype, string? Unit, string? Ucd)>(new CommandDefinition("""
            SELECT table_ordinal, name, datatype, unit, ucd FROM provider_column
            WHERE provider_id = @providerId ORDER BY table_ordinal, ordinal
            """, new { providerId }, tx, cancellationToken: cancellationToken)).ConfigureAwait(false))
            .ToLookup(c => c.Table, c => new ColumnMetadata(c.Name, c.Datatype, c.Unit, c.Ucd));
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new ProviderMetadata(Time.Utc(readAt.Value), tables.Select(t => new TableMetadata(t.Name, columns[t.Ordinal].ToList())).ToList());
    }
}
