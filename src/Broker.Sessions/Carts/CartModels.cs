namespace Broker.Sessions.Carts;

/// <summary>
/// One file in a cart: the provider id and file id GetData needs, plus what the page shows about it (optional, as
/// the caller gave it; nothing here is trusted for routing beyond provider and file id).
/// </summary>
public sealed record CartItem
{
    public string Provider { get; init; } = "";
    public string FileId { get; init; } = "";
    public string? Source { get; init; }
    public string? Instrument { get; init; }
    public string? Physobs { get; init; }
    public DateTime? Start { get; init; }
    public DateTime? End { get; init; }
    public double? WaveMin { get; init; }
    public double? WaveMax { get; init; }
    public double? SizeKb { get; init; }
}

/// <summary>A saved selection of files, reloadable by its short id from any broker instance until it expires.</summary>
public sealed record Cart(string Id, IReadOnlyList<CartItem> Items, DateTime CreatedAt, DateTime ExpiresAt);

/// <summary>Where carts live: Redis when configured (shared by every instance), memory otherwise.</summary>
public interface ICartStore
{
    /// <summary>Saves a new cart under a fresh short id.</summary>
    Task<Cart> CreateAsync(IReadOnlyList<CartItem> items, CancellationToken cancellationToken);

    /// <summary>The live cart; null when the id is unknown, malformed or expired.</summary>
    Task<Cart?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Replaces a live cart's items and slides its expiry; null when the cart is unknown or expired.</summary>
    Task<Cart?> ReplaceAsync(string id, IReadOnlyList<CartItem> items, CancellationToken cancellationToken);
}
