using System.Runtime.CompilerServices;
using Broker.Core.Configuration;
using Broker.Server.Hosting;

namespace Broker.Server.UserCredentials;

/// <summary>
/// One HTTP client per provider for the download endpoint, built by <see cref="ProviderHttp"/> like the adapters' (so
/// credentials go out through the same one outbound handler), but apart from the adapters' own: a long download never
/// holds one of the provider's search slots. A providers.yaml reload makes new configurations and so new clients.
/// </summary>
public sealed class DownloadClients(ProviderHttp http)
{
    private readonly ConditionalWeakTable<ProviderConfig, HttpClient> _clients = new();

    public HttpClient For(ProviderConfig provider) => _clients.GetValue(provider, http.For);
}
