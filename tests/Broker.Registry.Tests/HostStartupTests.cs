using Broker.Testing;
using Broker.Core.Search;
using Broker.Core.Services;
using Broker.Registry.Database;
using Broker.Registry.Jobs;
using Broker.Registry.Providers;
using Broker.Registry.QueryLog;
using Broker.Registry.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Broker.Registry.Tests;

/// <summary>AddBrokerRegistry in a real generic host, as the server composes it.</summary>
[Collection(PostgresCollection.Name)]
public sealed class HostStartupTests(SharedPostgres postgres)
{
    private static IHost Build(string? connectionString)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Postgres:ConnectionString"] = connectionString });
        builder.Services.AddBrokerRegistry(builder.Configuration);
        return builder.Build();
    }

    [Fact]
    public async Task StartAsync_WithPostgres_MigratesSyncsLogsAndReportsHealthy()
    {
        var connectionString = postgres.NewDatabase("host");
        using var host = Build(connectionString);
        await host.StartAsync();
        var services = host.Services;

        await services.GetRequiredService<SchemaState>().WhenReadyAsync(CancellationToken.None).WaitAsync(Wait.DefaultTimeout);
        var sync = await services.GetRequiredService<RegistrySyncService>().SyncAsync(ProviderFiles.Parse(ProviderFiles.TwoProviders), CancellationToken.None);
        var listener = Assert.Single(services.GetServices<ISearchListener>());
        await listener.OnSearchCompletedAsync(Searches.Request(), Searches.Result(DateTimeOffset.UtcNow, Searches.Outcome("soar", ProviderStatus.Ok, 9)), CancellationToken.None);
        var writer = services.GetRequiredService<QueryLogWriter>();
        await Wait.UntilAsync(() => writer.Counters.Written == 1, "query logged");
        var stats = await services.GetRequiredService<IProviderStatsSource>().GetStatsAsync(CancellationToken.None);
        var readiness = await Assert.Single(services.GetServices<IReadinessCheck>()).CheckAsync(CancellationToken.None);
        var job = await services.GetRequiredService<IJobStore>().CreateAsync(new NewJob { Phase = JobPhase.Queued }, CancellationToken.None);
        await host.StopAsync();

        Assert.Equal(2, sync.Result?.Added);
        Assert.Equal(2, (await services.GetRequiredService<IProviderRegistryStore>().ListAsync(CancellationToken.None)).Count);
        Assert.Equal(1, stats["soar"].Calls);
        Assert.Equal(ReadinessStatus.Healthy, readiness.Status);
        Assert.StartsWith("Postgres", services.GetRequiredService<IJobStore>().GetType().Name);
        Assert.NotNull(job.Id);
    }

    [Fact]
    public async Task StartAsync_WithoutPostgres_RunsOnInMemoryStores()
    {
        using var host = Build(null);
        await host.StartAsync();
        var services = host.Services;

        var sync = await services.GetRequiredService<RegistrySyncService>().SyncAsync(ProviderFiles.Parse(ProviderFiles.TwoProviders), CancellationToken.None);
        await host.StopAsync();

        Assert.Equal(2, sync.Result?.Added);
        Assert.IsType<InMemoryJobStore>(services.GetRequiredService<IJobStore>());
        Assert.IsType<InMemoryProviderMetadataStore>(services.GetRequiredService<IProviderMetadataStore>());
        Assert.Empty(services.GetServices<ISearchListener>());
        Assert.Null(services.GetService<IProviderStatsSource>());
    }
}
