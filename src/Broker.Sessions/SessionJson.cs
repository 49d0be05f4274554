using System.Text.Json;
using System.Text.Json.Serialization;
using Broker.Core.Model;
using Broker.Core.Providers;

namespace Broker.Sessions;

/// <summary>
/// The stored form of everything the session store and the answer cache write: camelCase JSON, enums as names.
/// Source-generated, so the stored shape is fixed at compile time.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(SessionInfo))]
[JsonSerializable(typeof(QuerySummary))]
[JsonSerializable(typeof(DataRecord))]
[JsonSerializable(typeof(ProviderAnswer))]
internal sealed partial class SessionJson : JsonSerializerContext
{
    public static string Write<T>(T value) => JsonSerializer.Serialize(value, typeof(T), Default);

    public static T Read<T>(string json) =>
        (T)(JsonSerializer.Deserialize(json, typeof(T), Default) ?? throw new JsonException($"stored {typeof(T).Name} is null"));
}
