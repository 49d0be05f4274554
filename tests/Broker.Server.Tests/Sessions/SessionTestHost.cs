using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using System.Net.Http.Json;
using System.Text.Json;
using Broker.Core.Configuration;
using Broker.Core.Model;
using Broker.Core.Providers;
using Broker.Core.Search;
using Broker.Core.Services;
using Broker.Core.Validation;
using Broker.Server.Sessions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging.Abstractions;

namespace Broker.Server.Tests.Sessions;

/// <summary>
/// A minimal broker on 127.0.0.1:0: the session middleware and API under test, a real SearchEngine over a
/// <see cref="CountingAdapter"/>, and small stand-ins for the search and GetData endpoints that pass the session
/// on the way the composition root does (SearchRequest.SessionId, IRecordLookup).
/// </summary>
internal sealed class SessionTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SessionTestHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }
    public IServiceProvider Services => _app.Services;

    /// <param name="log">Receives the host's log from Debug up (a test that waits for a logged event).</param>
    public static async Task<SessionTestHost> StartAsync(CountingAdapter adapter, IDictionary<string, string?> settings, ILoggerProvider? log = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        if (log is not null) builder.Logging.AddProvider(log).SetMinimumLevel(LogLevel.Debug);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddBrokerSessions(builder.Configuration);

        const string yaml = "providers:\n  fake:\n    type: fake\n    url: http://127.0.0.1:9/\n    cache:\n      ttl: 60s\n";
        var registry = ProviderRegistry.Build(ProvidersFile.Parse(yaml, "providers.yaml"), [new Factory(adapter)],
            new ProviderFactoryContext(_ => new HttpClient(), TimeProvider.System, NullLoggerFactory.Instance));
        builder.Services.AddSingleton<IProviderCatalog>(new ProviderCatalog(registry));
        builder.Services.AddSingleton(new SearchOptions());
        builder.Services.AddSingleton<Broker.Core.Telemetry.BrokerMetrics>();
        builder.Services.AddSingleton<SearchEngine>();
        builder.Services.AddSingleton<FileResolver>();

        var app = builder.Build();
        app.UseBrokerSessions();
        app.MapSessionApi();
        app.MapGet("/api/v1/search", SearchAsync);
        app.MapPost("/api/v1/getdata", GetDataAsync);
        app.MapPost("/soap", (HttpContext c) => Results.Text(SessionHttp.GetSessionId(c) ?? "none"));
        app.MapGet("/health/ready", async (IEnumerable<IReadinessCheck> checks, CancellationToken ct) =>
            Results.Json((await Task.WhenAll(checks.Select(c => c.CheckAsync(ct)))).Select(r => new { r.Name, Status = r.Status.ToString(), r.Message })));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new SessionTestHost(app, new Uri(address));
    }

    /// <summary>A client without cookies (sessions travel in the VSO-Session header unless a test adds them).</summary>
    public HttpClient Client(string? sessionId = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        if (sessionId is not null) client.DefaultRequestHeaders.Add(SessionHttp.HeaderName, sessionId);
        return client;
    }

    private static async Task<IResult> SearchAsync(HttpContext context, SearchEngine engine, string instrument, string? start, string? end)
    {
        var query = new QueryNormalizer(new QueryLimits()).Normalize(
            [new QueryBlockInput { Start = start ?? "2024-01-01T00:00:00", End = end ?? "2024-01-02T00:00:00", Instrument = instrument }]);
        var result = await engine.SearchAsync(new SearchRequest
        {
            Query = query, SessionId = SessionHttp.GetSessionId(context),
            BypassCache = context.Request.Headers.CacheControl.ToString().Contains("no-cache", StringComparison.OrdinalIgnoreCase),
        }, context.RequestAborted);
        return Results.Json(new SearchAnswer(result.QueryId, result.Records.Count, result.Providers.All(p => p.FromCache), result.Records));
    }

    private static async Task<IResult> GetDataAsync(HttpContext context, IRecordLookup lookup, FileResolver resolver, GetDataInput input)
    {
        var sessionId = SessionHttp.GetSessionId(context);
        var known = sessionId is null ? new Dictionary<string, DataRecord>() : await lookup.FindAsync(sessionId, input.FileIds, context.RequestAborted);
        var groups = known.Values.GroupBy(r => r.Provider)
            .Select(g => new FileGroup(g.Key, g.Select(r => new FileRequest(r.FileId, r)).ToList())).ToList();
        var resolved = await resolver.ResolveAsync(groups, null, context.RequestAborted);
        var files = resolved.SelectMany(g => g.Files.Select(f => new { provider = g.ProviderId, fileId = f.FileId, status = f.Status.ToString(), url = f.Url }))
            .Concat(input.FileIds.Where(id => !known.ContainsKey(id)).Select(id => new { provider = "", fileId = id, status = "Unrouted", url = (string?)null }));
        return Results.Json(files);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class Factory(IProviderAdapter adapter) : IProviderFactory
    {
        public string Type => "fake";
        public IProviderAdapter Create(ProviderConfig config, ProviderFactoryContext context) => adapter;
    }
}

internal sealed record GetDataInput(IReadOnlyList<string> FileIds);

internal sealed record SearchAnswer(string QueryId, int Count, bool FromCache, IReadOnlyList<DataRecord> Records);

internal sealed record GetDataFile(string Provider, string FileId, string Status, string? Url);

/// <summary>Reading helpers for responses.</summary>
internal static class SessionResponses
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string? Session(this HttpResponseMessage response) =>
        response.Headers.TryGetValues(SessionHttp.HeaderName, out var v) ? v.Single() : null;

    public static string? Warning(this HttpResponseMessage response) =>
        response.Headers.TryGetValues(SessionHttp.WarningHeader, out var v) ? v.Single() : null;

    public static async Task<(SearchAnswer Answer, HttpResponseMessage Response)> SearchAsync(this HttpClient client, string instrument, bool noCache = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/search?instrument={instrument}");
        if (noCache) request.Headers.CacheControl = new System.Net.Http.Headers.CacheControlHeaderValue { NoCache = true };
        var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return ((await response.Content.ReadFromJsonAsync<SearchAnswer>(Json))!, response);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(Json);
}
