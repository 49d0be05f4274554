using Microsoft.Extensions.Hosting;

namespace Broker.Sessions.Redis;

/// <summary>Lets the host wait briefly for the first Redis connection at start-up, so the first requests find it; never fails start-up.</summary>
internal sealed class RedisConnector(RedisConnection redis) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await redis.WaitForFirstConnectAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Redis is slow or down: the broker starts anyway and runs degraded until it connects.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
