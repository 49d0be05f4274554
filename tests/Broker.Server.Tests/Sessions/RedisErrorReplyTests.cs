using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Broker.Server.Tests.Rest;
using Broker.Testing;

namespace Broker.Server.Tests.Sessions;

/// <summary>
/// A real redis-server that answers but refuses — out of memory (<c>maxmemory</c> reached under <c>noeviction</c>),
/// demoted to a replica (<c>READONLY</c>), loading its dataset (<c>LOADING</c>) — behind the real broker
/// (<see cref="Broker.Server.BrokerApp"/>): every such reply is "store unavailable". Searches, GetData and SOAP go on
/// session-less with <c>VSO-Warning</c>; the providers list and readiness answer; what truly needs the store answers
/// a 503 problem; the rate limit still holds; never a 500. Once Redis takes writes again, so does the broker.
/// </summary>
public sealed class RedisErrorReplyTests : IAsyncLifetime
{
    private const string Warning = "session store unavailable";
    private const int RateLimit = 60;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private RedisServer _redis = null!;

    public async Task InitializeAsync() =>
        // DEBUG RELOAD is how the LOADING case makes the server load its dataset while it serves other clients.
        _redis = await RedisServer.StartAsync(["--enable-debug-command", "yes"], null, "redis-server");

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Theory]
    [InlineData("OOM")]      // used memory above maxmemory, noeviction: every write is refused
    [InlineData("READONLY")] // the server was made a replica (as after a failover the client has not followed yet)
    [InlineData("LOADING")]  // the server is (re)loading its dataset and answers nothing else
    public async Task ErrorReply_IsStoreUnavailable_TheBrokerServesOn_NeverA500(string reply)
    {
        // The longest pause between Redis attempts is 1 ms here, so nearly every request below meets the reply itself
        // rather than the connection's backoff.
        await using var broker = TestBroker.Start(Providers, null,
            "--Redis:Configuration", _redis.Configuration, "--Sessions:RedisMaxBackoff", "00:00:00.001",
            "--Sessions:RateLimitPerMinute", RateLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        broker.Providers["soar"].Behaviour = _ => Task.FromResult(ScriptedAdapter.Records("soar", 5, "SOAR"));
        await Wait.UntilAsync(async () => await ReadinessOfRedisAsync(broker) == "healthy", "the broker to connect to Redis");
        var session = await NewSessionAsync(broker);
        using (var known = Client(broker, session))
            Assert.Equal(HttpStatusCode.OK, (await known.GetAsync(Search)).StatusCode);

        await using var fault = await RedisFault.StartAsync(_redis, reply);
        using var withSession = Client(broker, session);
        using var anonymous = Client(broker);

        // Searches (REST, POST, streamed, SOAP) and GetData go on without the store and say so.
        foreach (var (client, presented) in new[] { (withSession, session), (anonymous, null) })
        {
            using var search = await client.GetAsync(Search);
            await AssertOkAsync(search);
            Assert.Equal(Warning, Header(search, "VSO-Warning"));
            // No session is issued; a server that still reads (OOM refuses writes only) may confirm the caller's own.
            Assert.Contains(Header(search, "VSO-Session"), new[] { null, presented });
            Assert.Equal(5, (await search.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("records").GetArrayLength());
        }
        using (var posted = await withSession.PostAsJsonAsync("/api/v1/search",
                   new { blocks = new[] { new { start = "2022-03-21T00:00:00Z", end = "2022-03-22T00:00:00Z", instrument = "SOAR" } } }))
        {
            await AssertOkAsync(posted);
            Assert.Equal(Warning, Header(posted, "VSO-Warning"));
        }
        using (var stream = await withSession.GetAsync("/api/v1/search/stream?start=2022-03-21&end=2022-03-22&instrument=SOAR"))
        {
            await AssertOkAsync(stream);
            Assert.Contains("event: summary", await stream.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var getData = await withSession.PostAsJsonAsync("/api/v1/getdata", new { files = new[] { new { provider = "soar", fileIds = new[] { "soar-0001" } } } }))
        {
            await AssertOkAsync(getData);
            // GetData only reads the session: out of memory, Redis still serves it.
            if (reply != "OOM") Assert.Equal(Warning, Header(getData, "VSO-Warning"));
            Assert.Contains("soar-0001", await getData.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        foreach (var client in new[] { withSession, anonymous })
        {
            using var soap = await client.PostAsync("/soap/vsoi", new StringContent(SoapQuery, Encoding.UTF8, "text/xml"));
            await AssertOkAsync(soap);
            Assert.Equal(Warning, Header(soap, "VSO-Warning"));
            Assert.Contains("soar-0000", await soap.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // The TAP door says it too: the header, and an INFO in the VOTable for clients that read only the table.
        foreach (var client in new[] { withSession, anonymous })
        {
            using var tap = await client.PostAsync("/tap/sync", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["LANG"] = "ADQL", ["QUERY"] = TapQuery,
            }));
            await AssertOkAsync(tap);
            Assert.Equal(Warning, Header(tap, "VSO-Warning"));
            var infos = System.Xml.Linq.XDocument.Parse(await tap.Content.ReadAsStringAsync()).Descendants()
                .Where(e => e.Name.LocalName == "INFO").ToList();
            Assert.Contains(infos, i => (string?)i.Attribute("name") == "QUERY_STATUS" && (string?)i.Attribute("value") == "OK");
            Assert.Contains(infos, i => (string?)i.Attribute("name") == "warning" && (string?)i.Attribute("value") == Warning
                && i.Value.Contains("not kept in the session", StringComparison.Ordinal));
            Assert.Equal(5, infos[0].Document!.Descendants().Count(e => e.Name.LocalName == "TR"));
        }

        // What needs no store answers as always; readiness says Redis is degraded, not the broker down.
        using (var providers = await anonymous.GetAsync("/api/v1/providers")) await AssertOkAsync(providers);
        using (var vocabulary = await anonymous.GetAsync("/api/v1/vocabulary")) await AssertOkAsync(vocabulary);
        Assert.Equal("degraded", await ReadinessOfRedisAsync(broker));

        // What truly needs the store: a clear 503 problem, never a 500. Out of memory, Redis still reads and deletes:
        // those may succeed (or meet the connection's backoff after the last refusal); writes never do.
        var readsMaySucceed = reply == "OOM";
        await AssertStoreUnavailableAsync(await anonymous.PostAsync("/api/v1/sessions", null));
        await AssertStoreUnavailableAsync(await withSession.GetAsync("/api/v1/sessions/current"), readsMaySucceed);
        await AssertStoreUnavailableAsync(await withSession.GetAsync("/api/v1/queries"), readsMaySucceed);
        await AssertStoreUnavailableAsync(await withSession.PutAsJsonAsync("/api/v1/sessions/current/credentials/soar",
            new { username = "alice", password = "wonderland" }));
        await AssertStoreUnavailableAsync(await withSession.GetAsync("/api/v1/sessions/current/credentials"), readsMaySucceed);
        await AssertStoreUnavailableAsync(await withSession.PostAsJsonAsync("/api/v1/carts",
            new { items = new[] { new { provider = "soar", fileId = "soar-0001" } } }));
        await AssertStoreUnavailableAsync(await withSession.DeleteAsync("/api/v1/sessions/current"), readsMaySucceed);

        // The rate limit still holds (counted in this process while Redis refuses), and says so.
        await AssertRateLimitHoldsAsync(anonymous);

        await fault.RepairAsync();
        // Once Redis takes writes again, so does the broker (its client re-reads the server's role after a refusal).
        await Wait.UntilAsync(async () =>
        {
            using var again = await anonymous.PostAsync("/api/v1/sessions", null);
            return again.StatusCode == HttpStatusCode.Created;
        }, TimeSpan.FromSeconds(60), "sessions to be issued again");
    }

    /// <summary>
    /// A broker that starts while Redis refuses writes cannot keep the first key of its Data Protection key ring (the
    /// ring lives in Redis). GetData of a provider the broker holds a service credential for hands out download links,
    /// which need that key: the files are then an error that says why, with the warning, never a 500. (The SOAP door
    /// hands out through the same <c>RestrictedDownloads</c>, after its URL check, which the scripted data host fails.)
    /// The session was made by another instance before the fault; the ring is emptied, as on a fresh deployment.
    /// </summary>
    [Fact]
    public async Task OomAtStartUp_NoKeyForDownloadLinks_GetDataOfARestrictedProvider_SaysWhyNotA500()
    {
        var secrets = Directory.CreateTempSubdirectory("broker-keyring-test");
        try
        {
            var token = Path.Combine(secrets.FullName, "token");
            await File.WriteAllTextAsync(token, "service-token");
            var yaml = "providers:\n  vault:\n    type: scripted\n    url: http://127.0.0.1:9/vault\n    capabilities:\n      instruments: [VAULT]\n" +
                       $"    auth: {{ scheme: bearer, token: \"file:{token}\" }}\n";
            string[] args = ["--Redis:Configuration", _redis.Configuration, "--Sessions:RedisMaxBackoff", "00:00:00.001", "--Sessions:RateLimitPerMinute", "0"];
            string session;
            await using (var first = TestBroker.Start(yaml, null, args))
            {
                await Wait.UntilAsync(async () => await ReadinessOfRedisAsync(first) == "healthy", "the first instance to connect to Redis");
                session = await NewSessionAsync(first);
            }
            Assert.StartsWith(":", await _redis.CommandAsync("DEL broker:{dataprotection}:keys"));
            await using var fault = await RedisFault.StartAsync(_redis, "OOM");

            await using var broker = TestBroker.Start(yaml, null, args);
            using var client = Client(broker, session);
            // Out of memory, Redis still reads: the second instance knows the session once it is connected.
            await Wait.UntilAsync(async () =>
            {
                using var current = await client.GetAsync("/api/v1/sessions/current");
                return current.StatusCode == HttpStatusCode.OK;
            }, "the second instance to read the session");
            using (var getData = await client.PostAsJsonAsync("/api/v1/getdata", new { files = new[] { new { provider = "vault", fileIds = new[] { "vault-0001" } } } }))
            {
                await AssertOkAsync(getData);
                Assert.Equal(session, Header(getData, "VSO-Session"));
                Assert.Equal(Warning, Header(getData, "VSO-Warning"));
                var file = (await getData.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("providers")[0].GetProperty("files")[0];
                Assert.Equal("error", file.GetProperty("status").GetString());
                Assert.Contains("download link", file.GetProperty("detail").GetString(), StringComparison.Ordinal);
                Assert.False(file.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.String, "no URL without a link");
            }
            Assert.Equal(":0", await _redis.CommandAsync("EXISTS broker:{dataprotection}:keys"));
        }
        finally
        {
            secrets.Delete(recursive: true);
        }
    }

    /// <summary>One provider that takes the users' own credentials (HTTP Basic), so storing one reaches the store.</summary>
    private const string Providers = """
        providers:
          soar:
            type: scripted
            url: http://127.0.0.1:9/soar
            capabilities:
              instruments: [SOAR]
            auth:
              scheme: basic
        """;

    private const string Search = "/api/v1/search?start=2022-03-21&end=2022-03-22&instrument=SOAR";

    /// <summary>An ADQL query for the day of the scripted records (a fan-out, so its search would be kept).</summary>
    private const string TapQuery = "SELECT fileid FROM vso.records WHERE instrument = 'SOAR' " +
                                    "AND time_end >= '2022-03-21T00:00:00' AND time_start <= '2022-03-22T00:00:00'";

    /// <summary>A SunPy (zeep) Query for the day of the scripted records.</summary>
    private const string SoapQuery = """
        <soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/"
                           xmlns:VSO="http://virtualsolar.org/VSO/VSOi"><soap-env:Body>
         <VSO:Query><body><block>
           <time><start>20220321000000</start><end>20220322000000</end></time><instrument>SOAR</instrument>
         </block></body></VSO:Query></soap-env:Body></soap-env:Envelope>
        """;

    private static async Task AssertRateLimitHoldsAsync(HttpClient client)
    {
        for (var i = 0; i <= 2 * RateLimit; i++)
        {
            using var response = await client.GetAsync(Search);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.NotNull(Header(response, "RateLimit"));
                return;
            }
            await AssertOkAsync(response);
        }
        Assert.Fail($"no 429 after {2 * RateLimit + 1} searches with a limit of {RateLimit} a minute");
    }

    private static async Task AssertOkAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: {(int)response.StatusCode} {body}");
    }

    private static async Task AssertStoreUnavailableAsync(HttpResponseMessage response, bool orSuccess = false)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            var what = $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: {(int)response.StatusCode} {body}";
            if (orSuccess && response.IsSuccessStatusCode) return;
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, what);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
            Assert.Contains("store", JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString() ?? "", StringComparison.OrdinalIgnoreCase);
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;

    private static HttpClient Client(TestBroker broker, string? session = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = broker.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        if (session is not null) client.DefaultRequestHeaders.Add("VSO-Session", session);
        return client;
    }

    private static async Task<string> NewSessionAsync(TestBroker broker)
    {
        using var client = Client(broker);
        using var response = await client.PostAsync("/api/v1/sessions", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return Header(response, "VSO-Session")!;
    }

    private static async Task<string?> ReadinessOfRedisAsync(TestBroker broker)
    {
        using var client = Client(broker);
        using var response = await client.GetAsync("/health/ready");
        var checks = (await response.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("checks");
        return checks.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "redis").GetProperty("status").GetString();
    }
}
