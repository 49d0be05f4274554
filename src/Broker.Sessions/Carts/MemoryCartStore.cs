using System.Collections.Concurrent;

namespace Broker.Sessions.Carts;

/// <summary>Carts in this process (the demo; one instance only). Bounded: when full, the carts closest to expiry go first.</summary>
internal sealed class MemoryCartStore(CartOptions options, TimeProvider time) : ICartStore
{
    private readonly ConcurrentDictionary<string, Cart> _carts = new(StringComparer.Ordinal);

    public Task<Cart> CreateAsync(IReadOnlyList<CartItem> items, CancellationToken cancellationToken)
    {
        if (_carts.Count >= options.MemoryMaxCarts) MakeRoom();
        var now = time.GetUtcNow().UtcDateTime;
        while (true)
        {
            var cart = new Cart(CartId.New(), items, now, now + options.Expiry);
            if (_carts.TryAdd(cart.Id, cart)) return Task.FromResult(cart);
        }
    }

    public Task<Cart?> GetAsync(string id, CancellationToken cancellationToken) => Task.FromResult(Live(id));

    public Task<Cart?> ReplaceAsync(string id, IReadOnlyList<CartItem> items, CancellationToken cancellationToken)
    {
        while (Live(id) is { } current)
        {
            var replaced = current with { Items = items, ExpiresAt = time.GetUtcNow().UtcDateTime + options.Expiry };
            if (_carts.TryUpdate(id, replaced, current)) return Task.FromResult<Cart?>(replaced);
        }
        return Task.FromResult<Cart?>(null);
    }

    private Cart? Live(string id)
    {
        if (!CartId.IsWellFormed(id) || !_carts.TryGetValue(id, out var cart)) return null;
        if (cart.ExpiresAt > time.GetUtcNow().UtcDateTime) return cart;
        _carts.TryRemove(KeyValuePair.Create(id, cart));
        return null;
    }

    private void MakeRoom()
    {
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var (id, cart) in _carts)
            if (cart.ExpiresAt <= now) _carts.TryRemove(KeyValuePair.Create(id, cart));
        var excess = _carts.Count - options.MemoryMaxCarts + 1;
        if (excess <= 0) return;
        foreach (var cart in _carts.Values.OrderBy(c => c.ExpiresAt).Take(excess).ToList())
            _carts.TryRemove(KeyValuePair.Create(cart.Id, cart));
    }
}
