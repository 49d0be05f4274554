using Broker.Core.Services;
using Dapper;
using Npgsql;

namespace Broker.Registry.Database;

/// <summary>
/// Reports PostgreSQL for /health/ready: Healthy when it answers within <see cref="RegistryOptions.ReadinessTimeout"/>
/// and the schema is migrated, Degraded otherwise — the broker still searches without its database.
/// </summary>
internal sealed class PostgresReadinessCheck(NpgsqlDataSource dataSource, SchemaState schema, RegistryOptions options) : IReadinessCheck
{
    public const string Name = "postgres";

    public async Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ReadinessTimeout);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(timeout.Token).ConfigureAwait(false);
            await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: timeout.Token)).ConfigureAwait(false);
            return schema.IsReady
                ? new ReadinessResult(Name, ReadinessStatus.Healthy)
                : new ReadinessResult(Name, ReadinessStatus.Degraded, "connected; schema migration not finished");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var why = timeout.IsCancellationRequested ? $"no answer within {options.ReadinessTimeout.TotalSeconds:0.#} s" : ex.Message;
            return new ReadinessResult(Name, ReadinessStatus.Degraded, "PostgreSQL unreachable: " + why + "; query log buffered, registry read-only");
        }
    }
}
