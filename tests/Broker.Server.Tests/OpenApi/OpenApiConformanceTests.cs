using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Broker.Core.Model;
using Broker.Core.Providers;
using Broker.Core.Configuration;
using Broker.Server.Tests.Rest;
using Broker.Server.Tests.UserCredentials;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.Server.Tests.OpenApi;

/// <summary>
/// The OpenAPI document against the broker's real answers. A scenario drives every REST endpoint through its success
/// and its documented failures; then every documented /api/v1 operation that has not answered 2xx yet is called from
/// the document alone (path and required query parameter examples, the request body example), so an endpoint added
/// later is checked without changing this test. Every answer must be documented (status, media type) and its JSON
/// must validate against the schema, with no undocumented member and no required member missing.
/// </summary>
public class OpenApiConformanceTests
{
    private const string Day = "start=2022-03-21T00:00:00Z&end=2022-03-22T00:00:00Z";

    [Fact]
    public async Task EveryEndpointAnswersAsTheDocumentDescribesIt()
    {
        await using var archive = await RestrictedArchive.StartAsync();
        await using var broker = StartBroker(archive);
        var checker = new OpenApiChecker(await broker.Http.GetStringAsync("/openapi/v1.json"));
        var session = (await SendAsync(broker, checker, HttpMethod.Post, "/api/v1/sessions")).Json.GetProperty("sessionId").GetString()!;
        broker.Http.DefaultRequestHeaders.Add("VSO-Session", session);

        // Search in every form, and its refusals.
        var search = await SendAsync(broker, checker, HttpMethod.Get, $"/api/v1/search?{Day}&limit=50");
        var queryId = search.Json.GetProperty("queryId").GetString()!;
        await SendAsync(broker, checker, HttpMethod.Get, $"/api/v1/search?{Day}&format=csv");
        await SendAsync(broker, checker, HttpMethod.Head, $"/api/v1/search?{Day}");
        await SendAsync(broker, checker, HttpMethod.Post, "/api/v1/search", JsonBody(checker, "/api/v1/search", "post"));
        await SendAsync(broker, checker, HttpMethod.Get, "/api/v1/search?start=2022-03-23&end=2022-03-21", expect: HttpStatusCode.BadRequest);
        await SendAsync(broker, checker, HttpMethod.Get, $"/api/v1/search?{Day}&instrument=NOWHERE", expect: HttpStatusCode.BadRequest);
        await SendAsync(broker, checker, HttpMethod.Post, "/api/v1/search", new StringContent("{\"blocks\":", Encoding.UTF8, "application/json"),
            expect: HttpStatusCode.BadRequest);
        await SendAsync(broker, checker, HttpMethod.Post, "/api/v1/search", new StringContent(new string(' ', 2_000_000), Encoding.UTF8, "application/json"),
            expect: HttpStatusCode.RequestEntityTooLarge);
        await SendAsync(broker, checker, HttpMethod.Get, $"/api/v1/search/stream?{Day}");
        await SendAsync(broker, checker, HttpMethod.Post, "/api/v1/search/stream", JsonBody(checker, "/api/v1/search/stream", "post"));

        // Providers, GetData (by provider, by bare id from the session's results, refused, wrong media type).
        await SendAsync(broker, checker, HttpMethod.Get, "/api/v1/providers");
        await SendAsync(broker, checker, HttpMethod.Post, "/api/v1/getdata", JsonBody(checker, "/api/v1/getdata", "post"));
        await SendAsync(broker, checker, HttpMethod.Post, "/api/v1/getdata", Json(new { fileIds = new[] { "soar-0001", "missing-1" }, verify = false }));
        await SendAsync(broker, checker, HttpMethod.Post, "/api/v1/getdata", Json(new { files = Array.Empty<object>() }), expect: HttpStatusCode.BadRequest);
        await SendAsync(broker, checker, HttpMethod.Post, "/api/v1/getdata", new StringContent("fileIds=x", Encoding.UTF8, "text/plain"),
            expect: HttpStatusCode.UnsupportedMediaType);

        // The session's history and stored results.
        await SendAsync(broker, checker, HttpMethod.Get, "/api/v1/sessions/current");
        await SendAsync(broker, checker, HttpMethod.Get, "/api/v1/queries");
        await SendAsync(broker, checker, HttpMethod.Get, $"/api/v1/queries/{queryId}");
        await SendAsync(broker, checker, HttpMethod.Get, $"/api/v1/queries/{queryId}/records?offset=0&limit=5");
        await SendAsync(broker, checker, HttpMethod.Get, $"/api/v1/queries/{queryId}/records?limit=0", expect: HttpStatusCode.BadRequest);
        await SendAsync(broker, checker, HttpMethod.Get, "/api/v1/queries/no-such-query", expect: HttpStatusCode.NotFound);

        // Carts.
        var cart = await SendAsync(broker, checker, HttpMethod.Post, "/api/v1/carts", JsonBody(checker, "/api/v1/carts", "post"), expect: HttpStatusCode.Created);
        var cartId = cart.Json.GetProperty("id").GetString()!;
        await SendAsync(broker, checker, HttpMethod.Get, $"/api/v1/carts/{cartId}");
        await SendAsync(broker, checker, HttpMethod.Put, $"/api/v1/carts/{cartId}", JsonBody(checker, "/api/v1/carts/{id}", "put"));
        await SendAsync(broker, checker, HttpMethod.Get, "/api/v1/carts/AAAAAAAAAA", expect: HttpStatusCode.NotFound);
        await SendAsync(broker, checker, HttpMethod.Post, "/api/v1/carts", Json(new { items = new[] { new { provider = "" } } }), expect: HttpStatusCode.BadRequest);

        // A user's own credentials, and a restricted file through the broker's download link.
        var password = RestrictedArchive.Users["alice"];
        await SendAsync(broker, checker, HttpMethod.Put, "/api/v1/sessions/current/credentials/vault", Json(new { username = "alice", password }));
        await SendAsync(broker, checker, HttpMethod.Get, "/api/v1/sessions/current/credentials");
        await SendAsync(broker, checker, HttpMethod.Put, "/api/v1/sessions/current/credentials/nosuch", Json(new { token = "t" }), expect: HttpStatusCode.NotFound);
        await SendAsync(broker, checker, HttpMethod.Put, "/api/v1/sessions/current/credentials/soar", Json(new { token = "t" }), expect: HttpStatusCode.BadRequest);
        await SendAsync(broker, checker, HttpMethod.Put, "/api/v1/sessions/current/credentials/vault", Json(new { token = "t" }), expect: HttpStatusCode.BadRequest);
        var links = await SendAsync(broker, checker, HttpMethod.Post, "/api/v1/getdata",
            Json(new { files = new[] { new { provider = "vault", fileIds = new[] { "alice-restricted-0000" } } } }));
        var link = new Uri(links.Json.GetProperty("providers")[0].GetProperty("files")[0].GetProperty("url").GetString()!).AbsolutePath;
        await SendAsync(broker, checker, HttpMethod.Get, link);
        await SendAsync(broker, checker, HttpMethod.Head, link);
        await SendAsync(broker, checker, HttpMethod.Get, "/api/v1/download/not-a-token/file.fits", expect: HttpStatusCode.NotFound);
        await SendAsync(broker, checker, HttpMethod.Delete, "/api/v1/sessions/current/credentials/vault", expect: HttpStatusCode.NoContent);
        await SendAsync(broker, checker, HttpMethod.Delete, "/api/v1/sessions/current/credentials/vault", expect: HttpStatusCode.NotFound);

        // Every other documented operation, from the document's own examples (endpoints added later are covered here).
        foreach (var operation in checker.Operations.Where(o => !checker.Succeeded.Contains(o) && !IsSessionEnd(o)).ToList())
            await SendFromDocumentAsync(broker, checker, operation);

        // Ending the session last: someone else's session is refused, the own one ends (204); then a new one is ended.
        await SendAsync(broker, checker, HttpMethod.Delete, "/api/v1/sessions/someone-else", expect: HttpStatusCode.Forbidden);
        await SendAsync(broker, checker, HttpMethod.Delete, "/api/v1/sessions/current", expect: HttpStatusCode.NoContent);
        await SendAsync(broker, checker, HttpMethod.Post, "/api/v1/sessions", expect: HttpStatusCode.Created);
        await SendAsync(broker, checker, HttpMethod.Delete, "/api/v1/sessions", expect: HttpStatusCode.NoContent);

        Assert.True(checker.Failures.Count == 0, $"{checker.Failures.Count} of {checker.Checked} answers differ from the document:\n" + string.Join("\n", checker.Failures));
        var neverAnswered = checker.Operations.Where(o => o.Template.StartsWith("/api/v1/", StringComparison.Ordinal) && !checker.Succeeded.Contains(o)).ToList();
        Assert.True(neverAnswered.Count == 0, "documented operations that never answered 2xx (give their parameters and body working examples): " +
                                              string.Join(", ", neverAnswered));
    }

    [Fact]
    public async Task SearchParameters_EachHasTypeAndExample_ProblemsAndStatusCodesAreTheRealOnes()
    {
        await using var broker = StartBroker();
        var doc = JsonNode.Parse(await broker.Http.GetStringAsync("/openapi/v1.json"))!;

        foreach (var method in new[] { "get", "head" })
        {
            var parameters = doc["paths"]!["/api/v1/search"]![method]!["parameters"]!.AsArray().Select(p => p!).ToList();
            Assert.Contains(parameters, p => (string?)p["name"] == "start" && (string?)p["schema"]!["format"] == "date-time");
            Assert.Contains(parameters, p => (string?)p["name"] == "wavemin" && (string?)p["schema"]!["type"] == "number");
            Assert.Contains(parameters, p => (string?)p["name"] == "extent.type");
            Assert.All(parameters, p =>
            {
                Assert.NotNull(p["schema"]!["type"]);
                Assert.NotNull(p["example"]);
                Assert.False(string.IsNullOrWhiteSpace((string?)p["description"]));
            });
        }
        var responses = (string path, string method) => doc["paths"]![path]![method]!["responses"]!.AsObject().Select(r => r.Key).ToHashSet();
        Assert.Superset(new HashSet<string> { "200", "400", "414", "429" }, responses("/api/v1/search", "get"));
        Assert.Superset(new HashSet<string> { "200", "400", "413", "429" }, responses("/api/v1/search", "post"));
        Assert.Superset(new HashSet<string> { "201", "503" }, responses("/api/v1/sessions", "post"));
        Assert.DoesNotContain("200", responses("/api/v1/sessions", "post"));
        Assert.Superset(new HashSet<string> { "204", "403", "404" }, responses("/api/v1/sessions/{id}", "delete"));
        Assert.Superset(new HashSet<string> { "200", "400", "415" }, responses("/api/v1/getdata", "post"));
        Assert.Superset(new HashSet<string> { "201" }, responses("/api/v1/carts", "post"));
        Assert.Equal("application/problem+json", doc["paths"]!["/api/v1/search"]!["get"]!["responses"]!["400"]!["content"]!.AsObject().Single().Key);
        // Optional members are optional: a record has only provider and fileId for sure.
        Assert.Equal(["fileId", "provider"], doc["components"]!["schemas"]!["RecordDocument"]!["required"]!.AsArray().Select(n => (string)n!).Order());
        // The SOAP doors are listed with the WSDL.
        foreach (var path in new[] { "/soap/VSOi_rpc_literal.wsdl", "/soap/vsoi", "/soap/vsoi_tabdelim" })
            Assert.NotNull(doc["paths"]![path]);
    }

    [Fact]
    public async Task Checker_RejectsAnUndocumentedMemberAndAMissingRequiredOne()
    {
        await using var broker = StartBroker();
        var checker = new OpenApiChecker(await broker.Http.GetStringAsync("/openapi/v1.json"));
        const string session = "{\"sessionId\":\"s\",\"createdAt\":\"2022-03-21T00:00:00.000Z\",\"expiresAt\":\"2022-03-22T00:00:00.000Z\"}";

        Assert.Null(checker.Check("POST", "/api/v1/sessions", 201, "application/json; charset=utf-8", session));
        Assert.Contains("additionalProperties", checker.Check("POST", "/api/v1/sessions", 201, "application/json", session.Replace("}", ",\"extra\":1}")));
        Assert.Contains("required", checker.Check("POST", "/api/v1/sessions", 201, "application/json", session.Replace("\"sessionId\":\"s\",", "")), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("not documented", checker.Check("POST", "/api/v1/sessions", 200, "application/json", session));
        Assert.Contains("media type", checker.Check("POST", "/api/v1/sessions", 201, "text/html", "<p>"));
        Assert.Contains("event 'surprise'", checker.Check("GET", "/api/v1/search/stream", 200, "text/event-stream", "event: surprise\ndata: {}\n\n"));
    }

    [Fact]
    public async Task Docs_ServesTheReferencePageWithItsScriptFromTheBrokerOnly()
    {
        await using var broker = StartBroker();

        var page = await broker.Http.GetAsync("/docs");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("openapi/v1.json", html);
        var scripts = System.Text.RegularExpressions.Regex.Matches(html, "<script[^>]*\\ssrc=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(scripts);
        long bytes = 0;
        Assert.DoesNotMatch("https?://", string.Join(" ", scripts));
        foreach (var src in scripts)
        {
            var script = await broker.Http.GetAsync(new Uri(new Uri(broker.BaseUrl, "/docs/"), src));
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
            Assert.Contains("javascript", script.Content.Headers.ContentType?.MediaType ?? "");
            bytes += (await script.Content.ReadAsByteArrayAsync()).Length;
        }
        Assert.True(bytes > 100_000, $"the bundled Scalar script is served ({bytes} bytes)");
        var csp = page.Headers.TryGetValues("Content-Security-Policy", out var values) ? string.Join(";", values) : "";
        Assert.Contains("default-src 'self'", csp);
        Assert.DoesNotContain("http", csp);
    }

    private static TestBroker StartBroker(RestrictedArchive? archive = null)
    {
        // Two providers the document's examples name: soar (EUI) and sdo (AIA); and an archive with restricted files.
        var yaml = TestBroker.Yaml("soar", "sdo").Replace("[SOAR, SHARED]", "[EUI, SHARED]").Replace("[SDO, SHARED]", "[AIA, SHARED]");
        var broker = archive is null ? TestBroker.Start(yaml)
            : TestBroker.Start(yaml + RestrictedFactory.Entry(archive), b => b.Services.AddSingleton<IProviderFactory, RestrictedFactory>());
        broker.Providers["soar"].Behaviour = _ => Task.FromResult(RichRecords("soar", 12, "EUI"));
        broker.Providers["sdo"].Behaviour = _ => Task.FromResult(RichRecords("sdo", 5, "AIA"));
        return broker;
    }

    /// <summary>Records with every member the search writes, so every documented member is exercised.</summary>
    private static ProviderAnswer RichRecords(string provider, int count, string instrument) => new(Enumerable.Range(0, count).Select(i => new DataRecord
    {
        Provider = provider, FileId = $"{provider}-{i:D4}", Source = "SOLO", Instrument = instrument, Detector = "FSI", Physobs = "intensity",
        Level = "2", Start = ScriptedAdapter.T0.AddMinutes(i), End = ScriptedAdapter.T0.AddMinutes(i + 1), WaveMin = 171, WaveMax = 185,
        WaveType = "narrow", Extent = new Extent("0", "0", "3000", "3000", "FULLDISK"), SizeKb = 2.5, Info = "test record", DataType = "image",
        DownloadUrl = $"http://127.0.0.1:9/{provider}/data/{i}", ContentType = "application/fits", ThumbnailUrl = $"http://127.0.0.1:9/{provider}/thumb/{i}",
    }).ToList());

    private sealed record Answer(int Status, string? ContentType, string Body)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    }

    private static async Task<Answer> SendAsync(TestBroker broker, OpenApiChecker checker, HttpMethod method, string path,
        HttpContent? body = null, HttpStatusCode? expect = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body };
        // An over-limit body is refused unread: waiting for 100-continue, the client reads the 413 instead of
        // racing the closed connection with its write (a broken pipe on a loaded machine).
        if (body?.Headers.ContentLength > 1 << 20) request.Headers.ExpectContinue = true;
        using var response = await broker.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var contentType = response.Content.Headers.ContentType?.ToString();
        checker.Check(method.Method, path.Split('?')[0], (int)response.StatusCode, contentType, text);
        if (expect is { } e) Assert.True(e == response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        else Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return new Answer((int)response.StatusCode, contentType, text);
    }

    /// <summary>Calls an operation from its documentation: path parameter and required query parameter examples, the body example.</summary>
    private static async Task SendFromDocumentAsync(TestBroker broker, OpenApiChecker checker, OpenApiChecker.Operation operation)
    {
        var path = operation.Template;
        var query = new List<string>();
        foreach (var p in operation.Node["parameters"]?.AsArray().Select(n => n!.AsObject()) ?? [])
        {
            var example = p["example"] is { } x ? x.GetValueKind() == JsonValueKind.String ? (string)x! : x.ToJsonString() : null;
            if ((string?)p["in"] == "path")
                path = path.Replace("{" + (string)p["name"]! + "}", Uri.EscapeDataString(example ?? "x"));
            else if ((string?)p["in"] == "query" && p["required"]?.GetValue<bool>() == true && example is not null)
                query.Add($"{Uri.EscapeDataString((string)p["name"]!)}={Uri.EscapeDataString(example)}");
        }
        HttpContent? body = null;
        if (operation.Node["requestBody"]?["content"]?.AsObject().FirstOrDefault() is { Key: { } mediaType, Value: { } media })
            body = new StringContent(media["example"]?.ToJsonString() ?? "", Encoding.UTF8, mediaType);
        using var request = new HttpRequestMessage(new HttpMethod(operation.Method), path + (query.Count > 0 ? "?" + string.Join("&", query) : "")) { Content = body };
        using var response = await broker.Http.SendAsync(request);
        // Outside /api/v1 (TAP, SOAP) errors follow their own standards (VOTable error documents, SOAP faults): only successes are checked.
        if (!operation.Template.StartsWith("/api/v1/", StringComparison.Ordinal) && !response.IsSuccessStatusCode) return;
        checker.Check(operation.Method, path, (int)response.StatusCode, response.Content.Headers.ContentType?.ToString(),
            await response.Content.ReadAsStringAsync());
    }

    private static bool IsSessionEnd(OpenApiChecker.Operation o) => o.Method == "DELETE" && o.Template.StartsWith("/api/v1/sessions", StringComparison.Ordinal);

    private static HttpContent JsonBody(OpenApiChecker checker, string path, string method) =>
        new StringContent(checker.Document["paths"]![path]![method]!["requestBody"]!["content"]!["application/json"]!["example"]!.ToJsonString(),
            Encoding.UTF8, "application/json");

    private static HttpContent Json(object value) => new StringContent(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");
}
