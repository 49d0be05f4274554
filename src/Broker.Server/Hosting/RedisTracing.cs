using Broker.Sessions.Redis;
using OpenTelemetry.Instrumentation.StackExchangeRedis;

namespace Broker.Server.Hosting;

/// <summary>
/// Hands the broker's one Redis connection to OpenTelemetry's StackExchange.Redis instrumentation once it exists (the
/// connection is made in the background at start-up, so it cannot be given when tracing is configured).
/// </summary>
internal static class RedisTracing
{
    public static void Attach(IServiceProvider services, StackExchangeRedisInstrumentation instrumentation)
    {
        if (services.GetService<IRedisMultiplexerSource>() is not { } source) return;
        _ = Task.Run(async () =>
        {
            if (await source.GetMultiplexerAsync(CancellationToken.None).ConfigureAwait(false) is { } multiplexer)
                instrumentation.AddConnection("broker", multiplexer);
        });
    }
}
