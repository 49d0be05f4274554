using System.Text.Json;
using System.Text.Json.Nodes;
using Broker.Core.Configuration;
using Broker.Registry.Database;

namespace Broker.Registry.Providers;

/// <summary>
/// A provider's settings as JSON, in a canonical form (lists of filters sorted) so that two syncs of the same
/// providers.yaml compare equal and record no change.
/// </summary>
internal sealed record ProviderDocument(
    string Id, string Type, string Url, bool Enabled, string? Title,
    string Capabilities, string Resilience, string Cache, string Options)
{
    public static ProviderDocument From(ProviderConfig config) => new(
        config.Id, config.Type, config.Url.ToString(), config.Enabled, config.Title,
        Json.Serialize(new
        {
            config.Capabilities.Providers, config.Capabilities.Sources, config.Capabilities.Instruments,
            config.Capabilities.Physobs, config.Capabilities.CoverageStart, config.Capabilities.CoverageEnd,
            Filters = config.Capabilities.Filters.Select(f => f.ToString()).Order(StringComparer.Ordinal).ToList(),
        }),
        Json.Serialize(config.Resilience),
        Json.Serialize(config.Cache),
        Json.Serialize(config.Options.ToPlainData()));

    /// <summary>The whole document, as stored in the history's old/new values.</summary>
    public JsonObject ToJson() => new()
    {
        ["type"] = Type, ["url"] = Url, ["enabled"] = Enabled, ["title"] = Title,
        ["capabilities"] = JsonNode.Parse(Capabilities), ["resilience"] = JsonNode.Parse(Resilience),
        ["cache"] = JsonNode.Parse(Cache), ["options"] = JsonNode.Parse(Options),
    };

    /// <summary>Same settings, compared as JSON values (jsonb may reorder object keys).</summary>
    public bool SameAs(ProviderDocument other) => JsonNode.DeepEquals(ToJson(), other.ToJson());

    public static JsonElement? Element(JsonObject? node) =>
        node is null ? null : JsonSerializer.Deserialize<JsonElement>(node.ToJsonString());
}
