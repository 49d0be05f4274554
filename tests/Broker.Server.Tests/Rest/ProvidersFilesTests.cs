using Broker.Core.Configuration;
using Broker.Providers.Tap;
using Broker.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Broker.Server.Tests.Rest;

/// <summary>The providers files shipped with the broker load with the real factories, without a single error.</summary>
public class ProvidersFilesTests
{
    [Theory]
    [InlineData("providers.yaml", 5)]
    [InlineData("deploy/providers.demo.yaml", 6)]
    public void Load_ShippedFile_HasNoErrors(string relative, int expectedProviders)
    {
        // The demo's restricted archive reads its service password from here (scripts/demo.sh sets a default).
        Environment.SetEnvironmentVariable("DEMO_ARCHIVE_PASSWORD", "demo-password");
        var services = new ServiceCollection().AddTapProviders().AddSoapProviders().BuildServiceProvider();
        var loader = new ProvidersLoader(services.GetServices<IProviderFactory>(),
            new ProviderFactoryContext(_ => new HttpClient(), TimeProvider.System, NullLoggerFactory.Instance));

        var (configs, registry) = loader.Load(Path.Combine(RepositoryRoot(), relative));

        Assert.Equal(expectedProviders, configs.Count);
        Assert.Equal(expectedProviders, registry.All.Count);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Broker.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
