using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Broker.EndToEnd.Tests.Infrastructure;

namespace Broker.EndToEnd.Tests.Sessions;

/// <summary>
/// A caller of one broker instance that carries its session only as the <c>VSO-Session</c> header it is given
/// (no cookie jar), so a test decides exactly which session each request claims.
/// </summary>
internal sealed class SessionClient : IDisposable
{
    private readonly HttpClient _http;

    public SessionClient(BrokerHost host, string? session = null)
    {
        _http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = host.BaseUrl, Timeout = TimeSpan.FromSeconds(90) };
        Session = session;
    }

    /// <summary>The session id sent with every request (null: none).</summary>
    public string? Session { get; set; }

    public static async Task<string> NewSessionAsync(BrokerHost host)
    {
        using var client = new SessionClient(host);
        using var response = await client.SendAsync(HttpMethod.Post, "/api/v1/sessions");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = SessionOf(response);
        Assert.NotNull(id);
        return id;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, HttpContent? content = null, bool noCache = false)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        if (Session is not null) request.Headers.Add("VSO-Session", Session);
        if (noCache) request.Headers.CacheControl = new System.Net.Http.Headers.CacheControlHeaderValue { NoCache = true };
        return await _http.SendAsync(request);
    }

    /// <summary>GET that must succeed; returns the JSON body and the response (for its headers).</summary>
    public async Task<(JsonElement Body, HttpResponseMessage Response)> GetJsonAsync(string url, bool noCache = false)
    {
        var response = await SendAsync(HttpMethod.Get, url, noCache: noCache);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode} {text}");
        return (JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    public Task<HttpResponseMessage> PostJsonAsync(string url, object body) =>
        SendAsync(HttpMethod.Post, url, JsonContent.Create(body));

    public Task<HttpResponseMessage> PostXmlAsync(string url, string xml) =>
        SendAsync(HttpMethod.Post, url, new StringContent(xml, Encoding.UTF8, "text/xml"));

    /// <summary>The session the broker put on a response (header), or null.</summary>
    public static string? SessionOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("VSO-Session", out var values) ? values.Single() : null;

    public static string? Warning(HttpResponseMessage response) =>
        response.Headers.TryGetValues("VSO-Warning", out var values) ? values.Single() : null;

    /// <summary>Provider and file id of each record, in result order.</summary>
    public static List<(string Provider, string FileId)> Keys(IEnumerable<JsonElement> records) =>
        records.Select(r => (r.GetProperty("provider").GetString()!, r.GetProperty("fileId").GetString()!)).ToList();

    public void Dispose() => _http.Dispose();
}
