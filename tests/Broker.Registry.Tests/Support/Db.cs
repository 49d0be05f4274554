using Broker.Registry.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Broker.Registry.Tests.Support;

/// <summary>Test helpers around a database: a data source and a migrated schema.</summary>
public static class Db
{
    public static NpgsqlDataSource Open(string connectionString) => NpgsqlDataSource.Create(connectionString);

    public static SchemaMigrator Migrator(NpgsqlDataSource dataSource) =>
        new(dataSource, TimeProvider.System, NullLogger<SchemaMigrator>.Instance);

    /// <summary>Opens a data source on <paramref name="connectionString"/> and migrates it.</summary>
    public static async Task<NpgsqlDataSource> MigratedAsync(string connectionString)
    {
        var dataSource = Open(connectionString);
        await Migrator(dataSource).MigrateAsync(CancellationToken.None);
        return dataSource;
    }

    public static async Task<T?> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }
}
