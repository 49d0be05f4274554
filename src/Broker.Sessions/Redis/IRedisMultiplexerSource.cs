using StackExchange.Redis;

namespace Broker.Sessions.Redis;

/// <summary>
/// The broker's one Redis connection, for code outside the stores that needs the multiplexer itself (instrumentation,
/// diagnostics). Registered only when Redis is configured. Use the stores for data: they bound every call and turn
/// every Redis fault into "store unavailable".
/// </summary>
public interface IRedisMultiplexerSource
{
    /// <summary>The multiplexer once the first connection attempt has ended; null when the configuration string was unusable.</summary>
    Task<IConnectionMultiplexer?> GetMultiplexerAsync(CancellationToken cancellationToken);
}
