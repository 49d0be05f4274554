using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Broker.Core.Configuration;
using Broker.Core.Model;
using Broker.Core.Providers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Broker.Server.Tests.UserCredentials;

/// <summary>
/// An archive on 127.0.0.1 that wants HTTP Basic for its restricted part: <c>/records</c> lists public records to
/// everyone and, to a known user, that user's own restricted ones; <c>/files/{id}</c> serves a public file to everyone
/// and a restricted file only to its owner (401 otherwise), with Range/If-Range (ETag); <c>/plain/{id}</c> serves the
/// same bytes but ignores Range (a server without range support). <see cref="Gate"/> holds file answers back.
/// </summary>
internal sealed class RestrictedArchive : IAsyncDisposable
{
    public static readonly IReadOnlyDictionary<string, string> Users = new Dictionary<string, string> { ["alice"] = "alice-pw-Qx7", ["bob"] = "bob-pw-Zr4" };
    public const int FileBytes = 300_000;

    private readonly WebApplication _app;
    private int _recordCalls;
    private int _waiting;

    private RestrictedArchive(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;
    public int RecordCalls => Volatile.Read(ref _recordCalls);
    /// <summary>File requests held at <see cref="Gate"/> now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);
    /// <summary>When set, file answers wait for it (to hold downloads open).</summary>
    public TaskCompletionSource? Gate { get; set; }

    public static async Task<RestrictedArchive> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var archive = new RestrictedArchive(app);
        app.MapGet("/records", (HttpContext http) =>
        {
            Interlocked.Increment(ref archive._recordCalls);
            var user = User(http);
            var ids = Enumerable.Range(0, 5).Select(i => $"public-{i:D4}")
                .Concat(user is null ? [] : Enumerable.Range(0, 3).Select(i => $"{user}-restricted-{i:D4}"));
            return Results.Json(ids.ToList());
        });
        app.MapGet("/files/{id}", async (HttpContext http, string id) =>
        {
            if (!Allowed(http, id)) return Challenge();
            await archive.PassGateAsync();
            return Results.Bytes(Content(id), "application/fits", enableRangeProcessing: true, entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue(ETag(id)));
        });
        app.MapGet("/plain/{id}", async (HttpContext http, string id) =>
        {
            if (!Allowed(http, id)) return Challenge();
            await archive.PassGateAsync();
            http.Response.Headers.ETag = ETag(id);
            return Results.Bytes(Content(id), "application/fits");
        });
        await app.StartAsync();
        archive.Url = new Uri(app.Urls.First() + "/");
        return archive;
    }

    private async Task PassGateAsync()
    {
        if (Gate is not { } gate) return;
        Interlocked.Increment(ref _waiting);
        try { await gate.Task; }
        finally { Interlocked.Decrement(ref _waiting); }
    }

    /// <summary>The file's bytes: deterministic, different per id.</summary>
    public static byte[] Content(string id)
    {
        var bytes = new byte[FileBytes];
        var seed = SHA256.HashData(Encoding.UTF8.GetBytes(id));
        for (var i = 0; i < bytes.Length; i++) bytes[i] = (byte)(seed[i % seed.Length] ^ (i * 31) ^ (i >> 8));
        return bytes;
    }

    public static string ETag(string id) => "\"" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(id)), 0, 8) + "\"";

    private static bool Allowed(HttpContext http, string id) => !id.Contains("-restricted-", StringComparison.Ordinal) || User(http) is { } user && id.StartsWith(user + "-", StringComparison.Ordinal);

    private static IResult Challenge() => Results.Text("login required", statusCode: StatusCodes.Status401Unauthorized);

    private static string? User(HttpContext http)
    {
        if (!AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization.ToString(), out var header) || header.Scheme != "Basic") return null;
        var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter ?? "")).Split(':', 2);
        return pair.Length == 2 && Users.TryGetValue(pair[0], out var password) && password == pair[1] ? pair[0] : null;
    }

    public async ValueTask DisposeAsync()
    {
        Gate?.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Provider type "restricted": asks <see cref="RestrictedArchive"/> over the broker's provider HTTP client (where credentials are applied).</summary>
internal sealed class RestrictedFactory : IProviderFactory
{
    public string Type => "restricted";

    public IProviderAdapter Create(ProviderConfig config, ProviderFactoryContext context) => new RestrictedAdapter(config, context.HttpClientFor(config));

    /// <summary>A providers.yaml with the archive (Basic for users' own credentials, no service credential) and an anonymous provider.</summary>
    public static string Yaml(RestrictedArchive archive, string filesPath = "files") =>
        "providers:\n" + Entry(archive, filesPath) + "  open:\n    type: scripted\n    url: http://127.0.0.1:9/open\n";

    /// <summary>The archive's entry "vault" (instrument VAULT), to add under <c>providers:</c>.</summary>
    public static string Entry(RestrictedArchive archive, string filesPath = "files") =>
        $"  vault:\n    type: restricted\n    url: {archive.Url}\n    capabilities:\n      instruments: [VAULT]\n" +
        $"    auth:\n      scheme: basic\n    options:\n      files: {filesPath}\n";

    private sealed class RestrictedAdapter(ProviderConfig config, HttpClient http) : IProviderAdapter, IProviderHttpClient
    {
        public HttpClient Http => http;

        private readonly string _files = config.Options.GetString("files") ?? "files";

        public string Id => config.Id;
        public ProviderCapabilities Capabilities => config.Capabilities;

        public async Task<ProviderAnswer> SearchAsync(QueryBlock block, int maxRecords, CancellationToken cancellationToken)
        {
            var ids = await http.GetFromJsonAsync<List<string>>(new Uri(config.Url, "records"), cancellationToken) ?? [];
            return new ProviderAnswer(ids.Select((id, i) => new DataRecord
            {
                Provider = Id, FileId = id, Instrument = "VAULT", Start = block.Time.Start.AddMinutes(i), End = block.Time.Start.AddMinutes(i + 1),
                SizeKb = RestrictedArchive.FileBytes / 1024.0,
                Restricted = id.Contains("-restricted-", StringComparison.Ordinal),
            }).Take(maxRecords).ToList());
        }

        public Task<IReadOnlyList<FileLocation>> ResolveFilesAsync(IReadOnlyList<FileRequest> files, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<FileLocation>>(files.Select(f =>
                new FileLocation(f.FileId, FileStatus.Ok, new Uri(config.Url, $"{_files}/{f.FileId}").ToString(), RestrictedArchive.FileBytes, "application/fits")).ToList());
    }
}

/// <summary>Reading helpers.</summary>
internal static class Http
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A client of <paramref name="baseUrl"/> that sends <paramref name="session"/> in the VSO-Session header (no cookies).</summary>
    public static HttpClient Client(Uri baseUrl, string? session = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = baseUrl };
        if (session is not null) client.DefaultRequestHeaders.Add("VSO-Session", session);
        return client;
    }

    public static async Task<string> NewSessionAsync(Uri baseUrl)
    {
        using var client = Client(baseUrl);
        using var response = await client.PostAsync("/api/v1/sessions", null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("sessionId").GetString()!;
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>(Json);

    public static Task<HttpResponseMessage> PutCredentialsAsync(this HttpClient client, string provider, object body) =>
        client.PutAsJsonAsync($"/api/v1/sessions/current/credentials/{provider}", body);

    /// <summary>File ids of a search (GET /api/v1/search over one day of the vault's records).</summary>
    public static async Task<(string QueryId, List<string> FileIds)> SearchAsync(this HttpClient client, string providers = "vault")
    {
        using var response = await client.GetAsync($"/api/v1/search?start=2022-03-21T00:00:00Z&end=2022-03-22T00:00:00Z&providers={providers}");
        response.EnsureSuccessStatusCode();
        var json = await response.JsonAsync();
        return (json.GetProperty("queryId").GetString()!,
            json.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("fileId").GetString()!).ToList());
    }

    /// <summary>GetData for <paramref name="ids"/> of the vault: the URL per file id.</summary>
    public static async Task<Dictionary<string, string>> GetDataAsync(this HttpClient client, IEnumerable<string> ids, string provider = "vault")
    {
        using var response = await client.PostAsJsonAsync("/api/v1/getdata", new { files = new[] { new { provider, fileIds = ids.ToArray() } } });
        response.EnsureSuccessStatusCode();
        var json = await response.JsonAsync();
        return json.GetProperty("providers").EnumerateArray().SelectMany(p => p.GetProperty("files").EnumerateArray())
            .ToDictionary(f => f.GetProperty("fileId").GetString()!, f => f.TryGetProperty("url", out var u) ? u.GetString()! : "");
    }

    public static string Basic(string user) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + RestrictedArchive.Users[user]));

    public static HttpStatusCode Status(this HttpResponseMessage r) => r.StatusCode;
}
