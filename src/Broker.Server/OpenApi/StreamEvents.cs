using System.Text.Json.Nodes;
using Broker.Server.Rest;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Broker.Server.OpenApi;

/// <summary>
/// The streamed search's events in the document: each event's data schema is a component (StreamPlanEvent …), and the
/// text/event-stream answer names them under <c>x-sse-events</c> (event name → schema), which the conformance test reads
/// to check every event of a real stream. OpenAPI 3.1 has no keyword for event streams; the description says it in words.
/// </summary>
internal static class StreamEvents
{
    public const string Extension = "x-sse-events";
    public const string ContentType = "text/event-stream";

    private static readonly (string Event, Type Data)[] Events =
    [
        ("plan", typeof(StreamPlanEvent)), ("provider", typeof(StreamProviderEvent)),
        ("summary", typeof(StreamSummaryEvent)), ("error", typeof(StreamErrorEvent)),
    ];

    public static async Task AddToAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        if (document.Paths?.GetValueOrDefault(SearchStreamApi.Path) is not { Operations: { } operations }) return;
        var map = new JsonObject();
        foreach (var (name, type) in Events)
        {
            var schema = await context.GetOrCreateSchemaAsync(type, null, ct);
            document.AddComponent(type.Name, schema);
            map[name] = new JsonObject { ["$ref"] = "#/components/schemas/" + type.Name };
        }
        foreach (var operation in operations.Values)
        {
            if (operation.Responses?.GetValueOrDefault("200") is not OpenApiResponse ok) continue;
            ok.Description = "Server-Sent Events: plan, then one provider event per asked provider as it finishes, then summary (or error); " +
                             "': keep-alive' comments at most every 15 s. Each data line is one JSON object (schemas in x-sse-events).";
            ok.Content = new Dictionary<string, OpenApiMediaType>
            {
                [ContentType] = new()
                {
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    Extensions = new Dictionary<string, IOpenApiExtension> { [Extension] = new JsonNodeExtension(map.DeepClone()) },
                },
            };
        }
    }
}
