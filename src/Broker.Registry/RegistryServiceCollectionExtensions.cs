using Broker.Core.Services;
using Broker.Registry;
using Broker.Registry.Database;
using Broker.Registry.Jobs;
using Broker.Registry.Metadata;
using Broker.Registry.Providers;
using Broker.Registry.QueryLog;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the provider registry, metadata store, query log and job store.</summary>
public static class RegistryServiceCollectionExtensions
{
    /// <summary>
    /// With <c>Postgres:ConnectionString</c> set: an <see cref="NpgsqlDataSource"/>, the schema migration (a hosted
    /// service registered first, retrying in the background while PostgreSQL is down), the PostgreSQL stores
    /// (<see cref="IProviderRegistryStore"/>, <see cref="IProviderMetadataStore"/>, <see cref="IJobStore"/>,
    /// <see cref="IProviderStatsSource"/>), the query log (<see cref="QueryLogWriter"/> as <see cref="ISearchListener"/>
    /// and hosted service) and a <see cref="IReadinessCheck"/> named "postgres".
    /// Without it: in-memory registry, metadata and job stores; no statistics, query log or readiness check.
    /// Always: <see cref="RegistryOptions"/>, <see cref="RegistrySyncService"/> (singleton and hosted service) and
    /// the job destruction sweep. Throws <see cref="ArgumentException"/> for a malformed <c>Postgres</c> setting.
    /// </summary>
    public static IServiceCollection AddBrokerRegistry(this IServiceCollection services, IConfiguration configuration)
    {
        var options = RegistryOptions.From(configuration);
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        if (options.UsesPostgres) AddPostgres(services, options);
        else AddInMemory(services);

        services.AddSingleton(sp => new RegistrySyncService(sp.GetRequiredService<IProviderRegistryStore>(), sp.GetService<SchemaState>(),
            options, sp.GetRequiredService<TimeProvider>(), Logger<RegistrySyncService>(sp)));
        services.AddHostedService(sp => sp.GetRequiredService<RegistrySyncService>());
        services.AddHostedService<JobDestructionSweeper>();
        services.AddOrphanedJobs(configuration, options.UsesPostgres);
        return services;
    }

    private static void AddPostgres(IServiceCollection services, RegistryOptions options)
    {
        services.AddSingleton(sp =>
        {
            var builder = new NpgsqlDataSourceBuilder(options.ConnectionString) { Name = "broker-registry" };
            if (sp.GetService<ILoggerFactory>() is { } loggers) builder.UseLoggerFactory(loggers);
            return builder.Build();
        });
        services.AddSingleton<SchemaState>();
        services.AddSingleton<SchemaMigrator>();
        // Registered before the other hosted services of this library, so it starts first.
        services.AddHostedService<SchemaMigrationService>();

        services.AddSingleton<IProviderRegistryStore, PostgresProviderRegistryStore>();
        services.AddSingleton<IProviderMetadataStore, PostgresProviderMetadataStore>();
        services.AddSingleton<IJobStore, PostgresJobStore>();
        services.AddSingleton<IJobResultStore, PostgresJobResultStore>();
        services.AddSingleton<IProviderStatsSource, PostgresProviderStatsSource>();
        services.AddSingleton<IQueryLogSink, PostgresQueryLogSink>();
        services.AddSingleton(sp => new QueryLogWriter(sp.GetRequiredService<IQueryLogSink>(), sp.GetRequiredService<SchemaState>(),
            options, sp.GetRequiredService<TimeProvider>(), Logger<QueryLogWriter>(sp)));
        services.AddSingleton<ISearchListener>(sp => sp.GetRequiredService<QueryLogWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<QueryLogWriter>());
        services.AddSingleton<IReadinessCheck, PostgresReadinessCheck>();
    }

    private static void AddInMemory(IServiceCollection services)
    {
        services.AddSingleton<IProviderRegistryStore, InMemoryProviderRegistryStore>();
        services.AddSingleton<IProviderMetadataStore, InMemoryProviderMetadataStore>();
        services.AddSingleton<IJobStore, InMemoryJobStore>();
        services.AddSingleton<InMemoryJobResultStore>();
        services.AddSingleton<IJobResultStore>(sp => sp.GetRequiredService<InMemoryJobResultStore>());
        services.AddSingleton<IJobDestructionListener>(sp => sp.GetRequiredService<InMemoryJobResultStore>());
    }

    private static ILogger<T> Logger<T>(IServiceProvider sp) =>
        sp.GetService<ILogger<T>>() ?? Microsoft.Extensions.Logging.Abstractions.NullLogger<T>.Instance;
}
