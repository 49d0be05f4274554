using System.Text.Json.Serialization;

namespace Broker.Sessions.Carts;

/// <summary>The stored form of a cart (camelCase, nulls left out), fixed at compile time.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Cart))]
internal sealed partial class CartJson : JsonSerializerContext;
