using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Broker.Core.Units;

namespace Broker.Server.Rest;

/// <summary>
/// The one JSON style of every REST answer: camelCase members, enums as lowercase strings (multi-word names
/// kebab-cased, as the status "circuit-open"), times ISO 8601 UTC with millisecond precision and <c>Z</c> (as the
/// search writer formats them), absent values omitted rather than null. Durations are numbers named <c>…Ms</c>;
/// no endpoint serializes a <see cref="TimeSpan"/>.
/// </summary>
public static class BrokerJson
{
    /// <summary>Applies the style to ASP.NET Core's JSON options (minimal-API results and the OpenAPI schemas).</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = null;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.Converters.Add(new UtcTimeConverter());
    }

    /// <summary>A standalone copy of the style, for writers outside the HTTP pipeline (the stream's events).</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Encoder = SearchResultJson.WriterOptions.Encoder };
        Configure(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Writes <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>; reads any ISO 8601 time.</summary>
    private sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTimeOffset.Parse(reader.GetString() ?? "", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(SolarTime.ToIso(value));
    }
}
