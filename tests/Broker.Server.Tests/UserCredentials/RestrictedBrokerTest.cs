using Broker.Core.Configuration;
using Broker.Server.Tests.Rest;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.Server.Tests.UserCredentials;

/// <summary>A real broker over one <see cref="RestrictedArchive"/> (provider "vault"), new for each test.</summary>
public abstract class RestrictedBrokerTest : IAsyncLifetime
{
    internal RestrictedArchive Archive { get; private set; } = null!;
    internal TestBroker Broker { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Archive = await RestrictedArchive.StartAsync();
        Broker = TestBroker.Start(RestrictedFactory.Yaml(Archive), b => b.Services.AddSingleton<IProviderFactory, RestrictedFactory>());
    }

    public async Task DisposeAsync()
    {
        await Broker.DisposeAsync();
        await Archive.DisposeAsync();
    }
}
