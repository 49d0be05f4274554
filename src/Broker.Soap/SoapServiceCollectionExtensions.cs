using Broker.Core.Configuration;
using Broker.Soap.Providers;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the VSOi SOAP provider type.</summary>
public static class SoapServiceCollectionExtensions
{
    /// <summary>Adds the <c>soap</c> provider type (<see cref="SoapProviderFactory"/>) to the provider factories.</summary>
    public static IServiceCollection AddSoapProviders(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProviderFactory, SoapProviderFactory>());
        return services;
    }
}
