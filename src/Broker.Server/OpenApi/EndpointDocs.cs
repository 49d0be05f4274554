using System.Text.Json;
using System.Text.Json.Nodes;
using Broker.Server.Rest;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Broker.Server.OpenApi;

/// <summary>
/// Small additions to an endpoint's OpenAPI operation that the generator cannot infer: examples (the conformance test
/// calls every operation with them), parameters the handler reads itself, non-JSON answers.
/// </summary>
public static class EndpointDocs
{
    /// <summary>An example JSON request body (serialized in the broker's JSON style).</summary>
    public static TBuilder WithRequestExample<TBuilder>(this TBuilder builder, object example) where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.RequestBody?.Content is { } content)
                foreach (var media in content.Values) media.Example = JsonSerializer.SerializeToNode(example, BrokerJson.Options);
            return Task.CompletedTask;
        });

    /// <summary>Describes a path or query parameter: its schema type and format, what it means and an example.</summary>
    public static TBuilder WithParameter<TBuilder>(this TBuilder builder, string name, string description, object example,
        JsonSchemaType type = JsonSchemaType.String, string? format = null, bool? required = null) where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            var existing = operation.Parameters.OfType<OpenApiParameter>().FirstOrDefault(p => p.Name == name);
            var parameter = existing ?? new OpenApiParameter { Name = name, In = ParameterLocation.Query };
            parameter.Description = description;
            parameter.Example = JsonSerializer.SerializeToNode(example, BrokerJson.Options);
            parameter.Schema = new OpenApiSchema { Type = type, Format = format };
            if (required is { } r) parameter.Required = r;
            if (existing is null) operation.Parameters.Add(parameter);
            return Task.CompletedTask;
        });

    /// <summary>A response that is not JSON (CSV, SSE, XML): the media type's schema is a string with this description.</summary>
    public static TBuilder WithTextResponse<TBuilder>(this TBuilder builder, int status, string contentType, string description)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Responses ??= [];
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!operation.Responses.TryGetValue(key, out var response) || response is not OpenApiResponse r)
                operation.Responses[key] = r = new OpenApiResponse { Description = description };
            r.Content ??= new Dictionary<string, OpenApiMediaType>();
            r.Content[contentType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = description } };
            return Task.CompletedTask;
        });

    /// <summary>Response headers of an operation (e.g. HEAD's counts), each a string with a description.</summary>
    public static TBuilder WithResponseHeaders<TBuilder>(this TBuilder builder, int status, params (string Name, string Description)[] headers)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (operation.Responses?.GetValueOrDefault(key) is not OpenApiResponse response) return Task.CompletedTask;
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            foreach (var (name, description) in headers)
                response.Headers[name] = new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
            return Task.CompletedTask;
        });
}
