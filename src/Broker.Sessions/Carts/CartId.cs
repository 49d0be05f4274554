using System.Security.Cryptography;

namespace Broker.Sessions.Carts;

/// <summary>
/// Cart ids: 10 characters of Crockford's base-32 alphabet in lower case (50 random bits): short enough to read out
/// or type, unguessable enough that nobody stumbles on someone else's cart, and never confusable (no i, l, o, u).
/// </summary>
public static class CartId
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
    public const int Length = 10;

    public static string New()
    {
        Span<byte> random = stackalloc byte[Length];
        RandomNumberGenerator.Fill(random);
        Span<char> id = stackalloc char[Length];
        for (var i = 0; i < Length; i++) id[i] = Alphabet[random[i] & 31];
        return new string(id);
    }

    /// <summary>True for text shaped like a cart id; anything else is refused before a store is asked.</summary>
    public static bool IsWellFormed(string? text) => text is { Length: Length } && text.All(c => Alphabet.Contains(c));
}
