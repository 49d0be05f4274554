using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Broker.Sessions.Carts;

/// <summary>Cart settings, section <c>Carts</c>.</summary>
public sealed record CartOptions
{
    /// <summary>How long a cart lives after it was last saved. <value>Default 30 days.</value></summary>
    public TimeSpan Expiry { get; init; } = TimeSpan.FromDays(30);
    /// <summary>Most files in one cart (GetData's own limit per request). <value>Default 10 000.</value></summary>
    public int MaxItems { get; init; } = 10_000;
    /// <summary>Most carts the in-memory store keeps; the soonest to expire go first. <value>Default 10 000.</value></summary>
    public int MemoryMaxCarts { get; init; } = 10_000;

    public static CartOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Carts");
        var defaults = new CartOptions();
        return new CartOptions
        {
            Expiry = section["Expiry"] is { Length: > 0 } e
                ? TimeSpan.TryParse(e, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero
                    ? span : throw new InvalidOperationException($"Carts:Expiry = '{e}' is not a positive duration (e.g. 30.00:00:00)")
                : defaults.Expiry,
            MaxItems = Whole(section, "MaxItems", defaults.MaxItems),
            MemoryMaxCarts = Whole(section, "MemoryMaxCarts", defaults.MemoryMaxCarts),
        };
    }

    private static int Whole(IConfigurationSection section, string key, int fallback)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 1
            ? value : throw new InvalidOperationException($"Carts:{key} = '{text}' is not a whole number ≥ 1");
    }
}
