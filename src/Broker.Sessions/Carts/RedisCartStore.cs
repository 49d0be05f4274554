using System.Text.Json;
using Broker.Sessions.Redis;
using StackExchange.Redis;

namespace Broker.Sessions.Carts;

/// <summary>
/// Carts in Redis, readable from every broker instance: one string key per cart, <c>broker:{cart:ID}</c> (hash-tagged,
/// so it is a valid single-slot key on Redis Cluster too), holding the cart as JSON with the cart's expiry as TTL.
/// </summary>
internal sealed class RedisCartStore(RedisConnection redis, CartOptions options, TimeProvider time) : ICartStore
{
    internal static string Key(string id) => $"{RedisKeys.Prefix}{{cart:{id}}}";

    public async Task<Cart> CreateAsync(IReadOnlyList<CartItem> items, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var cart = new Cart(CartId.New(), items, now, now + options.Expiry);
            var json = JsonSerializer.Serialize(cart, CartJson.Default.Cart);
            if (await redis.RunAsync(db => db.StringSetAsync(Key(cart.Id), json, options.Expiry, When.NotExists), cancellationToken).ConfigureAwait(false))
                return cart;
        }
        throw new InvalidOperationException("cart id collisions five times in a row");
    }

    public async Task<Cart?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (!CartId.IsWellFormed(id)) return null;
        var value = await redis.RunAsync(db => db.StringGetAsync(Key(id)), cancellationToken).ConfigureAwait(false);
        return value.IsNullOrEmpty ? null : JsonSerializer.Deserialize((string)value!, CartJson.Default.Cart);
    }

    public async Task<Cart?> ReplaceAsync(string id, IReadOnlyList<CartItem> items, CancellationToken cancellationToken)
    {
        if (await GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } current) return null;
        var replaced = current with { Items = items, ExpiresAt = time.GetUtcNow().UtcDateTime + options.Expiry };
        var json = JsonSerializer.Serialize(replaced, CartJson.Default.Cart);
        // XX: a cart that expired between the read and the write stays gone rather than coming back to life.
        return await redis.RunAsync(db => db.StringSetAsync(Key(id), json, options.Expiry, When.Exists), cancellationToken).ConfigureAwait(false)
            ? replaced : null;
    }
}
