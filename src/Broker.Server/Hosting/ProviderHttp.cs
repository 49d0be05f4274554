using System.Net;

namespace Broker.Server.Hosting;

/// <summary>
/// One pooled connection handler for all provider calls. Redirects are not followed automatically: the broker
/// calls only URLs of its registry, so adapters decide which Locations (UWS job URLs) they follow. Time limits
/// come from each provider's Polly pipeline, not from HttpClient.Timeout.
/// </summary>
public sealed class ProviderHttp : IDisposable
{
    private readonly SocketsHttpHandler _handler = new()
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = 256,
        ConnectTimeout = TimeSpan.FromSeconds(10),
    };

    public HttpClient For(string providerId)
    {
        var client = new HttpClient(_handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("vso-broker/1.0");
        return client;
    }

    public void Dispose() => _handler.Dispose();
}
