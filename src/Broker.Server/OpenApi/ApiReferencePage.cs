using Scalar.AspNetCore;

namespace Broker.Server.OpenApi;

/// <summary>
/// The API reference page at <c>/docs</c>: Scalar over <c>/openapi/v1.json</c>, with its script served by the broker
/// from the package's embedded bundle. Nothing is loaded from elsewhere: no CDN, no web fonts, no request proxy, no
/// telemetry — and a Content-Security-Policy that says so.
/// </summary>
public static class ApiReferencePage
{
    public const string Path = "/docs";

    /// <summary>
    /// Only the broker's origin. Scalar's page configures itself in an inline script and styles its components inline,
    /// hence 'unsafe-inline' for scripts and styles; everything fetched (script, document, "try it" calls) is 'self'.
    /// </summary>
    private const string ContentSecurityPolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " +
                                                 "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapBrokerApiReference(this IEndpointRouteBuilder app)
    {
        app.MapScalarApiReference(Path, options =>
        {
            options.Title = "VSO federated search broker — API reference";
            options.OpenApiRoutePattern = BrokerOpenApi.DocumentPath;
            options.DefaultFonts = false;
            options.Telemetry = false;
            options.ProxyUrl = null;
            options.HideClientButton = true;
        }).Add(endpoint =>
        {
            var page = endpoint.RequestDelegate!;
            endpoint.RequestDelegate = http =>
            {
                var headers = http.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                return page(http);
            };
        });
        return app;
    }
}
