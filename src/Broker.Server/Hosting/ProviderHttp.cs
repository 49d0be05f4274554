using System.Net;
using Broker.Core.Configuration;
using Broker.Core.Telemetry;
using Broker.Server.Credentials;

namespace Broker.Server.Hosting;

/// <summary>
/// One pooled connection handler for all provider calls. Redirects are not followed automatically: the broker
/// calls only URLs of its registry, so adapters decide which Locations (UWS job URLs) they follow. Time limits
/// come from each provider's Polly pipeline, not from HttpClient.Timeout.
/// </summary>
public sealed class ProviderHttp(BrokerMetrics metrics, ProviderCredentials credentials) : IDisposable
{
    private readonly SocketsHttpHandler _handler = new()
    {
        AllowAutoRedirect = false,
        // One cookie jar shared by every call would hand one user's TAP+ login cookie to every later call of that
        // provider, anonymous or another user's: cookies go out only where an authenticator sets them.
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = 256,
        ConnectTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>
    /// A client whose requests get the provider's credentials (<see cref="ProviderCredentialHandler"/>) and pass its
    /// concurrency limit (<see cref="ProviderRequestLimiter"/>).
    /// </summary>
    public HttpClient For(ProviderConfig provider)
    {
        var limiter = new ProviderRequestLimiter(provider.Id, provider.Resilience.Concurrency, provider.Resilience.ConcurrencyQueue, metrics, _handler);
        var authenticated = new ProviderCredentialHandler(provider, credentials, limiter);
        // disposeHandler false: the shared connection pool outlives every client.
        var client = new HttpClient(authenticated, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("vso-broker/1.0");
        return client;
    }

    public void Dispose() => _handler.Dispose();
}
