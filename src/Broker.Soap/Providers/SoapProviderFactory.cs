using Broker.Core.Configuration;
using Broker.Core.Providers;
using Microsoft.Extensions.Logging;

namespace Broker.Soap.Providers;

/// <summary>Creates adapters for <c>type: soap</c> providers: legacy VSOi SOAP endpoints.</summary>
public sealed class SoapProviderFactory : IProviderFactory
{
    /// <summary>The providers.yaml type name.</summary>
    public const string TypeName = "soap";

    public string Type => TypeName;

    public IProviderAdapter Create(ProviderConfig config, ProviderFactoryContext context) =>
        new SoapProviderAdapter(config, SoapProviderOptions.Read(config), context.HttpClientFor(config),
            context.Loggers.CreateLogger<SoapProviderAdapter>());
}
