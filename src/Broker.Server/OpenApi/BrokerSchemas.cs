using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Broker.Server.OpenApi;

/// <summary>
/// Makes the generated schemas say what the broker's JSON style (<see cref="Rest.BrokerJson"/>) really writes:
/// times are strings (the style's own converter hides that from the generator), floating-point numbers are plain
/// numbers (the writers never emit NaN or Infinity), a nullable member is optional (null values are left out, so a
/// positional record's parameter is not "required" when it can be null), and problem documents list their extensions.
/// </summary>
internal static class BrokerSchemas
{
    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken _)
    {
        var type = context.JsonTypeInfo.Type;
        var underlying = Nullable.GetUnderlyingType(type);
        var nullable = underlying is not null;
        var core = underlying ?? type;
        if (core == typeof(DateTimeOffset) || core == typeof(DateTime))
        {
            schema.Type = JsonSchemaType.String | (nullable ? JsonSchemaType.Null : 0);
            schema.Format = "date-time";
        }
        else if (core == typeof(double) || core == typeof(float) || core == typeof(decimal))
        {
            schema.Type = JsonSchemaType.Number | (nullable ? JsonSchemaType.Null : 0);
            schema.AnyOf = null;
        }
        if (schema.Required is { Count: > 0 } required)
            foreach (var property in context.JsonTypeInfo.Properties)
                if (Nullable.GetUnderlyingType(property.PropertyType) is not null || (!property.PropertyType.IsValueType && property.IsGetNullable))
                    required.Remove(property.Name);
        if (type == typeof(ProblemDetails) || type == typeof(HttpValidationProblemDetails))
            ProblemExtensions(schema);
        return Task.CompletedTask;
    }

    /// <summary>The members the broker adds to RFC 7807 problems (all optional).</summary>
    private static void ProblemExtensions(OpenApiSchema schema)
    {
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "W3C trace id of the request (also in the request log line)." };
        schema.Properties["errors"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Array, Description = "Each invalid field with what to change.",
            Items = new OpenApiSchema
            {
                Type = JsonSchemaType.Object, Required = new HashSet<string> { "field", "message" },
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["field"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
                },
            },
        };
        schema.Properties["block"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "Index of the OR-block no provider can answer." };
        schema.Properties["reasons"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object, Description = "Per provider id: why it cannot answer that block.",
            AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String },
        };
        schema.Properties["limit"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "The rate limit (requests per minute) that was hit." };
        schema.Properties["retryAfterSeconds"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "Seconds until a retry can succeed." };
    }
}
