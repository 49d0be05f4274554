using Broker.Core.Services;
using Broker.Registry.Database;
using Broker.Registry.Jobs;
using Broker.Registry.Providers;
using Broker.Registry.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Broker.Registry.Tests;

public sealed class RegistryServiceCollectionExtensionsTests
{
    private static IServiceCollection Register(params (string Key, string Value)[] settings) =>
        new ServiceCollection().AddBrokerRegistry(new DictionaryConfiguration(settings.ToDictionary(s => s.Key, s => s.Value)));

    private static Type? ImplementationOf<T>(IServiceCollection services) =>
        services.LastOrDefault(d => d.ServiceType == typeof(T))?.ImplementationType;

    [Fact]
    public void AddBrokerRegistry_NoConnectionString_RegistersInMemoryStoresOnly()
    {
        var services = Register();

        Assert.Equal(typeof(InMemoryJobStore), ImplementationOf<IJobStore>(services));
        Assert.Equal(typeof(InMemoryProviderMetadataStore), ImplementationOf<IProviderMetadataStore>(services));
        Assert.Equal(typeof(InMemoryProviderRegistryStore), ImplementationOf<IProviderRegistryStore>(services));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(NpgsqlDataSource) || d.ServiceType == typeof(ISearchListener)
            || d.ServiceType == typeof(IReadinessCheck) || d.ServiceType == typeof(IProviderStatsSource));
        Assert.Contains(services, d => d.ServiceType == typeof(RegistrySyncService));
    }

    [Fact]
    public void AddBrokerRegistry_ConnectionString_RegistersPostgresStoresWithMigrationFirst()
    {
        var services = Register(("Postgres:ConnectionString", "Host=127.0.0.1;Port=1;Username=x"), ("Postgres:QueryLogCapacity", "50"));

        Assert.Equal(typeof(SchemaMigrationService), services.First(d => d.ServiceType == typeof(IHostedService)).ImplementationType);
        Assert.Equal(5, services.Count(d => d.ServiceType == typeof(IHostedService)));
        Assert.Equal("PostgresJobStore", ImplementationOf<IJobStore>(services)?.Name);
        Assert.Equal("PostgresProviderMetadataStore", ImplementationOf<IProviderMetadataStore>(services)?.Name);
        Assert.Equal("PostgresProviderRegistryStore", ImplementationOf<IProviderRegistryStore>(services)?.Name);
        Assert.Equal("PostgresProviderStatsSource", ImplementationOf<IProviderStatsSource>(services)?.Name);
        Assert.Equal("PostgresReadinessCheck", ImplementationOf<IReadinessCheck>(services)?.Name);
        Assert.Contains(services, d => d.ServiceType == typeof(ISearchListener));
        Assert.Contains(services, d => d.ServiceType == typeof(NpgsqlDataSource));
        Assert.Equal(50, ((RegistryOptions)services.Single(d => d.ServiceType == typeof(RegistryOptions)).ImplementationInstance!).QueryLogCapacity);
    }

    [Theory]
    [InlineData("Postgres:ReadinessTimeout", "soon")]
    [InlineData("Postgres:QueryLogCapacity", "0")]
    [InlineData("Postgres:QueryLogBatchSize", "many")]
    public void AddBrokerRegistry_MalformedSetting_ThrowsNamingTheKey(string key, string value)
    {
        var ex = Assert.Throws<ArgumentException>(() => Register((key, value)));

        Assert.Contains(key, ex.Message);
    }
}
