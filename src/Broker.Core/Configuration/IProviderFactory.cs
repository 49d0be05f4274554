using Broker.Core.Providers;
using Microsoft.Extensions.Logging;

namespace Broker.Core.Configuration;

/// <summary>
/// Creates adapters of one provider type. A new provider type is one factory (plus its options and
/// adapter) registered once; the engine picks the factory by the <c>type:</c> of each providers.yaml entry.
/// </summary>
public interface IProviderFactory
{
    /// <summary>The <c>type:</c> value this factory handles (tap, soap ...).</summary>
    string Type { get; }

    /// <summary>
    /// Reads the type-specific keys from <see cref="ProviderConfig.Options"/> (errors go to its
    /// <see cref="ConfigSection.Errors"/>) and returns the adapter; keys left unread are reported as unknown.
    /// </summary>
    IProviderAdapter Create(ProviderConfig config, ProviderFactoryContext context);
}

/// <summary>What a factory may hand to the adapters it creates.</summary>
/// <param name="HttpClientFor">Returns the HttpClient to use for a provider (pooled connections; the provider's
/// concurrency limit applies to its requests).</param>
public sealed record ProviderFactoryContext(
    Func<ProviderConfig, HttpClient> HttpClientFor, TimeProvider Time, ILoggerFactory Loggers);
