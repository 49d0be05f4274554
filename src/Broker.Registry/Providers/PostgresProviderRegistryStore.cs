using System.Text.Json;
using System.Text.Json.Nodes;
using Broker.Core.Configuration;
using Broker.Registry.Database;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Broker.Registry.Providers;

/// <summary>The registry in PostgreSQL (tables <c>provider</c> and <c>provider_history</c>).</summary>
internal sealed partial class PostgresProviderRegistryStore(
    NpgsqlDataSource dataSource, RegistryOptions options, TimeProvider time, ILogger<PostgresProviderRegistryStore> logger)
    : IProviderRegistryStore
{
    /// <summary>Serializes syncs of several instances (a different key from the migrator's).</summary>
    private const long SyncLockKey = 0x6272_6f6b_6572_7379;

    private const string SelectColumns =
        "id, type, url, enabled, title, capabilities::text, resilience::text, cache::text, options::text, removed_at";

    private IReadOnlyList<RegistryEntry> _lastList = [];

    public async Task<RegistrySyncResult> SyncAsync(IReadOnlyList<ProviderConfig> providers, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key = SyncLockKey }, tx,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        var stored = (await connection.QueryAsync<StoredRow>(new CommandDefinition($"SELECT {SelectColumns} FROM provider",
            transaction: tx, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToDictionary(r => r.Id, StringComparer.Ordinal);

        var changes = new List<RegistryChange>();
        foreach (var config in providers)
        {
            var next = ProviderDocument.From(config);
            if (!stored.Remove(config.Id, out var row))
            {
                await InsertAsync(connection, tx, next, now, cancellationToken).ConfigureAwait(false);
                changes.Add(await RecordAsync(connection, tx, config.Id, RegistryChangeKind.Added, null, next.ToJson(), now, cancellationToken).ConfigureAwait(false));
                continue;
            }
            var old = row.ToDocument();
            if (row.Removed_At is null && old.SameAs(next)) continue;
            await UpdateAsync(connection, tx, next, now, cancellationToken).ConfigureAwait(false);
            var kind = row.Removed_At is null ? RegistryChangeKind.Changed : RegistryChangeKind.Added;
            changes.Add(await RecordAsync(connection, tx, config.Id, kind, old.ToJson(), next.ToJson(), now, cancellationToken).ConfigureAwait(false));
        }
        foreach (var gone in stored.Values.Where(r => r.Removed_At is null).OrderBy(r => r.Id, StringComparer.Ordinal))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE provider SET enabled = false, removed_at = @now, updated_at = @now WHERE id = @id",
                new { id = gone.Id, now }, tx, cancellationToken: cancellationToken)).ConfigureAwait(false);
            changes.Add(await RecordAsync(connection, tx, gone.Id, RegistryChangeKind.Removed, gone.ToDocument().ToJson(), null, now, cancellationToken).ConfigureAwait(false));
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (changes.Count > 0) LogSynced(logger, changes.Count, string.Join(",", changes.Select(c => $"{c.ProviderId}={c.Kind}")));
        return new RegistrySyncResult(changes);
    }

    public async Task<IReadOnlyList<RegistryEntry>> ListAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ReadTimeout);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(timeout.Token).ConfigureAwait(false);
            var rows = await connection.QueryAsync<EntryRow>(new CommandDefinition("""
                SELECT p.id, p.type, p.url, p.enabled, p.title, p.added_at, p.updated_at, p.removed_at,
                       (SELECT count(*) FROM provider_history h WHERE h.provider_id = p.id)::int AS history_count
                FROM provider p ORDER BY p.id
                """, cancellationToken: timeout.Token)).ConfigureAwait(false);
            var list = rows.Select(r => r.ToEntry()).ToList();
            Volatile.Write(ref _lastList, list);
            return list;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsUnavailable(ex))
        {
            LogReadFailed(logger, ex.Message);
            return Volatile.Read(ref _lastList);
        }
    }

    public async Task<IReadOnlyList<RegistryChange>> HistoryAsync(string providerId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<HistoryRow>(new CommandDefinition("""
            SELECT provider_id, change, old_value::text, new_value::text, changed_at
            FROM provider_history WHERE provider_id = @providerId ORDER BY id
            """, new { providerId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToChange()).ToList();
    }

    internal static bool IsUnavailable(Exception ex) => ex is NpgsqlException or TimeoutException or OperationCanceledException;

    private static Task InsertAsync(NpgsqlConnection c, NpgsqlTransaction tx, ProviderDocument d, DateTimeOffset now, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO provider (id, type, url, enabled, title, capabilities, resilience, cache, options, added_at, updated_at)
            VALUES (@Id, @Type, @Url, @Enabled, @Title, @Capabilities::jsonb, @Resilience::jsonb, @Cache::jsonb, @Options::jsonb, @now, @now)
            """, Parameters(d, now), tx, cancellationToken: ct));

    private static Task UpdateAsync(NpgsqlConnection c, NpgsqlTransaction tx, ProviderDocument d, DateTimeOffset now, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("""
            UPDATE provider SET type = @Type, url = @Url, enabled = @Enabled, title = @Title, capabilities = @Capabilities::jsonb,
                   resilience = @Resilience::jsonb, cache = @Cache::jsonb, options = @Options::jsonb, updated_at = @now, removed_at = NULL
            WHERE id = @Id
            """, Parameters(d, now), tx, cancellationToken: ct));

    private static DynamicParameters Parameters(ProviderDocument d, DateTimeOffset now)
    {
        var p = new DynamicParameters(d);
        p.Add("now", now);
        return p;
    }

    private static async Task<RegistryChange> RecordAsync(NpgsqlConnection c, NpgsqlTransaction tx, string id, RegistryChangeKind kind,
        JsonObject? oldValue, JsonObject? newValue, DateTimeOffset now, CancellationToken ct)
    {
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO provider_history (provider_id, change, old_value, new_value, changed_at)
            VALUES (@id, @change, @old::jsonb, @new::jsonb, @now)
            """, new { id, change = kind.ToString().ToLowerInvariant(), old = oldValue?.ToJsonString(), @new = newValue?.ToJsonString(), now },
            tx, cancellationToken: ct)).ConfigureAwait(false);
        return new RegistryChange(id, kind, ProviderDocument.Element(oldValue), ProviderDocument.Element(newValue), now);
    }

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Provider registry synced: {ChangeCount} changes ({Changes})")]
    private static partial void LogSynced(ILogger logger, int changeCount, string changes);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "Provider registry read failed; using the last list: {Error}")]
    private static partial void LogReadFailed(ILogger logger, string error);

    // Dapper maps snake_case columns to these names (underscores kept) without global settings.
#pragma warning disable IDE1006
    private sealed record StoredRow(string Id, string Type, string Url, bool Enabled, string? Title, string Capabilities,
        string Resilience, string Cache, string Options, DateTime? Removed_At)
    {
        public ProviderDocument ToDocument() => new(Id, Type, Url, Enabled, Title, Capabilities, Resilience, Cache, Options);
    }

    private sealed record EntryRow(string Id, string Type, string Url, bool Enabled, string? Title, DateTime Added_At,
        DateTime Updated_At, DateTime? Removed_At, int History_Count)
    {
        public RegistryEntry ToEntry() => new()
        {
            Id = Id, Type = Type, Url = Url, Enabled = Enabled, Title = Title, AddedAt = Time.Utc(Added_At),
            UpdatedAt = Time.Utc(Updated_At), RemovedAt = Time.Utc(Removed_At), HistoryCount = History_Count,
        };
    }

    private sealed record HistoryRow(string Provider_Id, string Change, string? Old_Value, string? New_Value, DateTime Changed_At)
    {
        public RegistryChange ToChange() => new(Provider_Id, Enum.Parse<RegistryChangeKind>(Change, ignoreCase: true),
            Old_Value is null ? null : JsonSerializer.Deserialize<JsonElement>(Old_Value),
            New_Value is null ? null : JsonSerializer.Deserialize<JsonElement>(New_Value), Time.Utc(Changed_At));
    }
#pragma warning restore IDE1006
}
