using Broker.Core.Configuration;
using Broker.Core.Search;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Broker.Providers.Tap;

/// <summary>Registration of the TAP provider type.</summary>
public static class TapServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="TapProviderFactory"/> as an <see cref="IProviderFactory"/> (type <c>tap</c>), the
    /// <see cref="TapMetadataMonitor"/> hosted service, and <see cref="HttpUrlVerifier"/> as the
    /// <see cref="IUrlVerifier"/> unless one is registered (bounded by a registered <see cref="UrlVerifierOptions"/>, else its defaults). Needs an <see cref="IProviderCatalog"/> from the host;
    /// uses IProviderMetadataStore and TimeProvider when registered.
    /// </summary>
    public static IServiceCollection AddTapProviders(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProviderFactory, TapProviderFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, TapMetadataMonitor>());
        services.TryAddSingleton<IUrlVerifier>(sp => new HttpUrlVerifier(
            sp.GetRequiredService<IProviderCatalog>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetService<ILogger<HttpUrlVerifier>>() ?? NullLogger<HttpUrlVerifier>.Instance,
            sp.GetService<UrlVerifierOptions>()));
        return services;
    }
}
