using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Broker.Server.OpenApi;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c> and the reference page at <c>/docs</c>. Endpoints describe
/// themselves (summary, parameters with examples, <c>Produces&lt;T&gt;</c> per status, <c>ProducesProblem</c>); this
/// class adds what /api/v1 operations share (429 where the session rate limit applies, 414/413 from Kestrel's limits)
/// and the VSOi SOAP doors, which are XML and described as such.
/// </summary>
public static class BrokerOpenApi
{
    public const string DocumentPath = "/openapi/v1.json";
    private const string ApiPrefix = "/api/v1/";

    public static IServiceCollection AddBrokerOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer(async (document, context, ct) =>
            {
                document.Info.Title = "VSO federated search broker";
                document.Info.Description =
                    "One normalized query fanned out to solar data archives (IVOA TAP, VSOi SOAP); merged records with a status per " +
                    "provider; GetData URLs. Errors are RFC 7807 application/problem+json. Sessions: the VSO-Session header or cookie. " +
                    "Also served: the VSOi SOAP door (WSDL below) and the IVOA TAP service under /tap.";
                SoapDoors.AddTo(document);
                await StreamEvents.AddToAsync(document, context, ct);
            });
            o.AddSchemaTransformer(BrokerSchemas.TransformAsync);
            o.AddOperationTransformer((operation, context, _) =>
            {
                var path = "/" + (context.Description.RelativePath ?? "").Split('?')[0];
                if (!path.StartsWith(ApiPrefix, StringComparison.Ordinal)) return Task.CompletedTask;
                operation.Responses ??= [];
                var sessions = context.ApplicationServices.GetService<Broker.Sessions.BrokerSessionOptions>() ?? new Broker.Sessions.BrokerSessionOptions();
                if (sessions.RateLimitPerMinute > 0 && sessions.RateLimitedPaths.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
                    AddProblem(operation, "429", "Too many requests from this session (Sessions:RateLimitPerMinute); Retry-After says when to retry.");
                var method = context.Description.HttpMethod ?? "GET";
                if (method is "GET" or "HEAD" or "DELETE")
                    operation.Responses.TryAdd("414", new OpenApiResponse { Description = "The request line is longer than the server accepts (no body)." });
                else
                    AddProblem(operation, "413", "The body is larger than Broker:MaxRequestBytes.");
                return Task.CompletedTask;
            });
        });

    /// <summary>Serves the document and the API reference page.</summary>
    public static IEndpointRouteBuilder MapBrokerOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(DocumentPath);
        app.MapBrokerApiReference();
        return app;
    }

    private static void AddProblem(OpenApiOperation operation, string status, string description)
    {
        if (operation.Responses!.ContainsKey(status)) return;
        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("ProblemDetails") },
            },
        };
    }
}
