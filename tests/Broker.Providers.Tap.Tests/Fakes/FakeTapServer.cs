using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Broker.Providers.Tap.Tests.Fakes;

/// <summary>A request the fake server received (form and query parameters merged, names upper-cased).</summary>
public sealed record RecordedRequest(string Method, string Path, string QueryString, IReadOnlyDictionary<string, string> Parameters)
{
    public string? this[string name] => Parameters.GetValueOrDefault(name.ToUpperInvariant());
}

/// <summary>
/// A tiny TAP server on 127.0.0.1:0 for adapter tests: routes are "METHOD /path" (path prefix match with
/// "*" at the end), every request is recorded, unknown routes get 404. The TAP base is {Url}/tap.
/// </summary>
public sealed class FakeTapServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Func<HttpContext, RecordedRequest, Task>> _routes = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private FakeTapServer(WebApplication app) => _app = app;

    public Uri Root { get; private set; } = null!;
    public Uri TapUrl => new(Root, "tap");
    /// <summary>
    /// The query requests received (sync, async, data), without the VOSI metadata reads (/tables, /capabilities,
    /// /availability) that an adapter makes before its first query; <see cref="Received"/> sees every request.
    /// </summary>
    public IReadOnlyList<RecordedRequest> Requests => _requests.Where(r => !IsVosiRead(r)).ToArray();

    private static bool IsVosiRead(RecordedRequest r) =>
        r.Method == "GET" && (r.Path.Contains("/tables", StringComparison.Ordinal) || r.Path.EndsWith("/capabilities", StringComparison.Ordinal) ||
                              r.Path.EndsWith("/availability", StringComparison.Ordinal));

    public static async Task<FakeTapServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeTapServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.Root = new Uri(app.Urls.First() + "/");
        return server;
    }

    /// <summary>Sets the handler of "METHOD /path" (a trailing * matches any rest of the path).</summary>
    public void On(string route, Func<HttpContext, RecordedRequest, Task> handler) => _routes[route] = handler;

    public void On(string route, Answer answer) => On(route, (ctx, _) => answer.WriteAsync(ctx));

    /// <summary>The handler registered for a route, to wrap it (e.g. with a delay).</summary>
    public Func<HttpContext, RecordedRequest, Task>? Handler(string route) => _routes.GetValueOrDefault(route);

    public IEnumerable<RecordedRequest> Received(string method, string pathPrefix) =>
        _requests.Where(r => r.Method == method && r.Path.StartsWith(pathPrefix, StringComparison.Ordinal));

    private async Task HandleAsync(HttpContext ctx)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in ctx.Request.Query) parameters[k.ToUpperInvariant()] = v.ToString();
        if (ctx.Request.HasFormContentType)
            foreach (var (k, v) in await ctx.Request.ReadFormAsync()) parameters[k.ToUpperInvariant()] = v.ToString();
        var request = new RecordedRequest(ctx.Request.Method, ctx.Request.Path.Value ?? "", ctx.Request.QueryString.Value ?? "", parameters);
        _requests.Enqueue(request);
        var key = request.Method + " " + request.Path;
        var handler = _routes.GetValueOrDefault(key)
            ?? _routes.Where(r => r.Key.EndsWith('*') && key.StartsWith(r.Key[..^1], StringComparison.OrdinalIgnoreCase))
                .OrderByDescending(r => r.Key.Length).Select(r => r.Value).FirstOrDefault();
        if (handler is null)
        {
            ctx.Response.StatusCode = 404;
            await ctx.Response.WriteAsync("no such resource");
            return;
        }
        await handler(ctx, request);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A canned answer: status, content type, body.</summary>
public sealed record Answer(int Status, string ContentType, byte[] Body)
{
    public static Answer Text(int status, string text, string contentType = "text/plain") =>
        new(status, contentType, System.Text.Encoding.UTF8.GetBytes(text));

    public static Answer Xml(string xml) => Text(200, xml, "text/xml");

    public async Task WriteAsync(HttpContext ctx)
    {
        ctx.Response.StatusCode = Status;
        ctx.Response.ContentType = ContentType;
        ctx.Response.ContentLength = Body.Length;
        if (!HttpMethods.IsHead(ctx.Request.Method)) await ctx.Response.Body.WriteAsync(Body);
    }
}
