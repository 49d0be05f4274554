using Broker.Sessions;
using Broker.Sessions.Carts;
using Broker.Sessions.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registration of the cart store, on the same backend as the sessions.</summary>
public static class CartServiceCollectionExtensions
{
    /// <summary>Registers <see cref="CartOptions"/> (section <c>Carts</c>) and <see cref="ICartStore"/>: Redis when
    /// <c>Redis:Configuration</c> is set, memory otherwise. Call after <c>AddBrokerSessions</c>.</summary>
    public static IServiceCollection AddBrokerCarts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(CartOptions.From(configuration));
        services.TryAddSingleton(TimeProvider.System);
        if (BrokerSessionOptions.From(configuration).UsesRedis)
            services.AddSingleton<ICartStore>(sp => new RedisCartStore(
                sp.GetRequiredService<RedisConnection>(), sp.GetRequiredService<CartOptions>(), sp.GetRequiredService<TimeProvider>()));
        else
            services.AddSingleton<ICartStore, MemoryCartStore>();
        return services;
    }
}
