using Microsoft.Extensions.FileProviders;

namespace Broker.Server.Web;

/// <summary>
/// The web search client at <c>/</c>: static HTML, JavaScript modules and CSS (no build step, nothing from outside the
/// broker), copied next to the server's assembly under <c>web/</c>. The page uses only the public REST API.
/// </summary>
public static class WebClient
{
    /// <summary>Where the page's files are: <c>web/</c> beside the assembly (build output and publish alike).</summary>
    public static string Root => Path.Combine(AppContext.BaseDirectory, "web");

    /// <summary>
    /// Serves the page before the session middleware, so fetching HTML, scripts and styles never creates a session
    /// or counts against the rate limit; the page's API calls get their session as any REST caller does.
    /// </summary>
    public static IApplicationBuilder UseBrokerWebClient(this IApplicationBuilder app)
    {
        if (!Directory.Exists(Root)) return app;
        var files = new PhysicalFileProvider(Root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        return app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                // Revalidate every time (ETag): a new broker version is never mixed with a cached old script.
                headers.CacheControl = "no-cache";
                headers.XContentTypeOptions = "nosniff";
                // Nothing outside the broker: scripts, styles, images, connections and downloads all stay on this origin.
                headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
                                                "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";
                headers["Referrer-Policy"] = "no-referrer";
            },
        });
    }
}
