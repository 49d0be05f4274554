using System.Text.Json;
using System.Text.Json.Serialization;

namespace Broker.Registry.Database;

/// <summary>The one JSON setting used for every jsonb column: camelCase, enums as names.</summary>
internal static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        // An open wavelength range is held as +Infinity: written as "Infinity", not an exception.
        NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T? Deserialize<T>(string? json) => json is null ? default : JsonSerializer.Deserialize<T>(json, Options);
}
