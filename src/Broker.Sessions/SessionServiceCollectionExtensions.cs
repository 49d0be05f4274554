using Broker.Core.Search;
using Broker.Core.Services;
using Broker.Sessions;
using Broker.Sessions.Memory;
using Broker.Sessions.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registration of sessions, stored results, the shared result cache and the rate limit.</summary>
public static class SessionServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="BrokerSessionOptions"/> (section <c>Sessions</c>, plus <c>Redis:Configuration</c>),
    /// <see cref="ISessionStore"/>, <see cref="ISessionCredentialStore"/>, <see cref="IRateLimiter"/>, <see cref="IRedisMultiplexerSource"/> (with Redis), <see cref="IAnswerCache"/> (replacing any earlier one),
    /// and adds an <see cref="ISearchListener"/>, <see cref="IRecordLookup"/> and <see cref="IReadinessCheck"/>:
    /// Redis-backed when Redis is configured, in memory otherwise.
    /// </summary>
    public static IServiceCollection AddBrokerSessions(this IServiceCollection services, IConfiguration configuration)
    {
        var options = BrokerSessionOptions.From(configuration);
        services.AddSingleton(options);
        SessionLogHash.Configure(options.LogHashKey);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<MemoryRateLimiter>();
        if (options.UsesRedis)
        {
            services.AddSingleton<RedisConnection>();
            services.AddSingleton<IRedisMultiplexerSource>(sp => sp.GetRequiredService<RedisConnection>());
            services.AddSingleton<IHostedService, RedisConnector>();
            services.AddSingleton<RedisSessionStore>();
            services.AddSingleton<ISessionStore>(sp => sp.GetRequiredService<RedisSessionStore>());
            services.AddSingleton<ISessionCredentialStore>(sp => sp.GetRequiredService<RedisSessionStore>());
            services.AddSingleton<IPendingSessionWrites, RedisPendingWrites>();
            services.AddSingleton<IRateLimiter, RedisRateLimiter>();
            services.Replace(ServiceDescriptor.Singleton<IAnswerCache, RedisAnswerCache>());
            services.AddSingleton<IReadinessCheck, RedisReadinessCheck>();
        }
        else
        {
            services.AddSingleton<MemorySessionStore>();
            services.AddSingleton<ISessionStore>(sp => sp.GetRequiredService<MemorySessionStore>());
            services.AddSingleton<ISessionCredentialStore>(sp => sp.GetRequiredService<MemorySessionStore>());
            services.AddSingleton<IRateLimiter>(sp => sp.GetRequiredService<MemoryRateLimiter>());
            services.Replace(ServiceDescriptor.Singleton<IAnswerCache, MemoryAnswerCache>());
            services.AddSingleton<IReadinessCheck, MemoryReadinessCheck>();
        }
        services.AddQueuedSessionWrites();
        services.Replace(ServiceDescriptor.Singleton<IRecordLookup, SessionRecordLookup>());
        return services;
    }
}
