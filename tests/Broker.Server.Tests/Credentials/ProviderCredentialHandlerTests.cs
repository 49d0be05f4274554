using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Broker.Core.Configuration;
using Broker.Core.Credentials;
using Broker.Core.Providers;
using Broker.Server.Credentials;

namespace Broker.Server.Tests.Credentials;

/// <summary>The one outbound place that applies credentials: which credential goes where, renewals and refusals.</summary>
public class ProviderCredentialHandlerTests
{
    private const string Url = "http://127.0.0.1:5555/tap";

    [Fact]
    public async Task ServiceBasic_GoesToTheProvidersHostOnly_AndACallersTokenReplacesIt()
    {
        Environment.SetEnvironmentVariable("CREDS_TEST_BASIC", "service-secret");
        var provider = new ScriptedProvider();
        using var http = Client(Config("      scheme: basic\n      username: broker\n      password: env:CREDS_TEST_BASIC\n"), provider);

        (await http.GetAsync(Url + "/sync")).Dispose();
        (await http.GetAsync("http://127.0.0.1:5556/tap/sync")).Dispose(); // another port: nothing
        (await http.GetAsync("http://data.example.org/file.fits")).Dispose(); // another host: nothing
        using (CallerCredentials.Use(new([new("p", ProviderCredential.Token("alice-token"))])))
            (await http.GetAsync(Url + "/async")).Dispose();
        using (CallerCredentials.Use(new([new("other", ProviderCredential.Token("for-another-provider"))])))
            (await http.GetAsync(Url + "/tables")).Dispose();

        Assert.Equal(
        [
            "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("broker:service-secret")), null, null, "Bearer alice-token",
            "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("broker:service-secret")),
        ], provider.Requests.Select(r => r.Authorization));
    }

    [Fact]
    public async Task NoCredential_401_IsUnauthorizedSayingWhatToDo()
    {
        var provider = new ScriptedProvider { Answer = _ => new HttpResponseMessage(HttpStatusCode.Unauthorized) };
        using var http = Client(Config(null), provider);

        var ex = await Assert.ThrowsAsync<ProviderUnauthorizedException>(() => http.GetAsync(Url + "/sync"));

        Assert.Contains("requires credentials: add yours to your session", ex.Message);
    }

    [Fact]
    public async Task CallersWrongPassword_IsRefusedOnce_WithTheSessionMessage_AndNoSecretInIt()
    {
        var provider = new ScriptedProvider { Answer = _ => new HttpResponseMessage(HttpStatusCode.Unauthorized) };
        using var http = Client(Config("      scheme: basic\n"), provider);

        using var scope = CallerCredentials.Use(new([new("p", ProviderCredential.Password("alice", "wrong-secret"))]));
        var ex = await Assert.ThrowsAsync<ProviderUnauthorizedException>(() => http.GetAsync(Url + "/sync"));

        Assert.Single(provider.Requests);
        Assert.StartsWith("Test Archive refused the credentials of this session (HTTP 401): log in again", ex.Message);
        Assert.DoesNotContain("wrong-secret", ex.Message);
    }

    [Fact]
    public async Task TapLogin_LogsInOnceForConcurrentCalls_ReLogsInOnceWhenTheSessionExpired_NeverLoops()
    {
        Environment.SetEnvironmentVariable("CREDS_TEST_TAP", "tap-secret");
        var logins = 0;
        var valid = "";
        var provider = new ScriptedProvider
        {
            Answer = r =>
            {
                if (r.Path.EndsWith("/login", StringComparison.Ordinal))
                {
                    var ok = r.Body == "username=svc&password=tap-secret";
                    var response = new HttpResponseMessage(ok ? HttpStatusCode.OK : HttpStatusCode.Unauthorized);
                    if (ok) response.Headers.Add("Set-Cookie", $"JSESSIONID={valid = "s" + Interlocked.Increment(ref logins)}; Path=/tap; HttpOnly");
                    return response;
                }
                return r.Cookie == "JSESSIONID=" + valid ? new HttpResponseMessage(HttpStatusCode.OK) : new HttpResponseMessage(HttpStatusCode.Unauthorized);
            },
        };
        using var http = Client(Config("      scheme: tapLogin\n      username: svc\n      password: env:CREDS_TEST_TAP\n"), provider);

        var first = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => http.GetAsync(Url + "/sync?i=" + i)));
        valid = "expired-by-the-provider";
        var afterExpiry = await http.GetAsync(Url + "/sync");
        provider.Answer = r => r.Path.EndsWith("/login", StringComparison.Ordinal)
            ? new HttpResponseMessage(HttpStatusCode.OK) { Headers = { { "Set-Cookie", "JSESSIONID=always-refused" } } }
            : new HttpResponseMessage(HttpStatusCode.Forbidden);
        var before = provider.Requests.Count;
        await Assert.ThrowsAsync<ProviderUnauthorizedException>(() => http.GetAsync(Url + "/sync"));

        Assert.All(first, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(HttpStatusCode.OK, afterExpiry.StatusCode);
        Assert.Equal(2, logins);
        // Refused, logged in again, refused again: three requests, then the refusal is final.
        Assert.Equal(3, provider.Requests.Count - before);
    }

    [Fact]
    public async Task CallersTapPlusLogin_IsLoggedOutWhenTheirCredentialGoes_OrWhenIdlePastTheIdleLifetime()
    {
        var clock = new ManualClock();
        var logins = 0;
        var provider = new ScriptedProvider
        {
            Answer = r =>
            {
                var response = new HttpResponseMessage(HttpStatusCode.OK);
                if (r.Path.EndsWith("/login", StringComparison.Ordinal))
                    response.Headers.Add("Set-Cookie", $"JSESSIONID=s{Interlocked.Increment(ref logins)}; Path=/tap; HttpOnly");
                return response;
            },
        };
        var config = Config("      scheme: tapLogin\n");
        var credentials = new ProviderCredentials(clock);
        using var http = new HttpClient(new ProviderCredentialHandler(config, credentials, provider));
        var (alice, bob) = (ProviderCredential.Password("alice", "alice-pw"), ProviderCredential.Password("bob", "bob-pw"));
        async Task CallAsAsync(ProviderCredential who)
        {
            using (CallerCredentials.Use(new([new("p", who)])))
                (await http.GetAsync(Url + "/sync")).Dispose();
        }
        IEnumerable<Seen> Logouts() => provider.Requests.Where(r => r.Path == "/tap/logout");

        await CallAsAsync(alice); // login s1
        var ended = await credentials.LogOutCallerAsync("p", alice, CancellationToken.None);
        var endedAgain = await credentials.LogOutCallerAsync("p", alice, CancellationToken.None);
        await CallAsAsync(bob); // login s2
        clock.Advance(ProviderCredentials.IdleLifetime + TimeSpan.FromMinutes(2));
        await CallAsAsync(alice); // login s3; the sweep drops bob's idle login and logs it out off the request path
        await Broker.Testing.Wait.UntilAsync(() => Logouts().Count() == 2, "the idle login to be logged out");

        Assert.Equal((1, 0), (ended, endedAgain));
        Assert.Equal(["JSESSIONID=s1", "JSESSIONID=s2"], Logouts().Select(r => r.Cookie));
        Assert.Equal(1, credentials.CallerSessions);
    }

    [Fact]
    public async Task Oidc_TokenIsSharedAndRenewedAt80PercentOfItsLifetime()
    {
        Environment.SetEnvironmentVariable("CREDS_TEST_OIDC", "client-secret");
        var clock = new ManualClock();
        var issued = 0;
        var provider = new ScriptedProvider
        {
            Answer = r => r.Path.EndsWith("/token", StringComparison.Ordinal)
                ? new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = new StringContent($$"""{"access_token":"tok{{Interlocked.Increment(ref issued)}}","token_type":"Bearer","expires_in":100}""",
                        Encoding.UTF8, "application/json"),
                }
                : new HttpResponseMessage(HttpStatusCode.OK),
        };
        using var http = Client(Config(
            "      scheme: oidc\n      tokenUrl: http://127.0.0.1:5555/auth/token\n      clientId: broker\n      clientSecret: env:CREDS_TEST_OIDC\n"),
            provider, clock);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => http.GetAsync(Url + "/sync")));
        clock.Advance(TimeSpan.FromSeconds(79));
        (await http.GetAsync(Url + "/async/1")).Dispose();
        clock.Advance(TimeSpan.FromSeconds(2)); // 81 s: past 80 % of 100 s, before expiry
        (await http.GetAsync(Url + "/async/1")).Dispose();

        Assert.Equal(2, issued);
        var tokenRequest = provider.Requests.First(r => r.Path.EndsWith("/token", StringComparison.Ordinal));
        Assert.Equal("grant_type=client_credentials&client_id=broker&client_secret=client-secret", tokenRequest.Body);
        Assert.Equal(["Bearer tok1", "Bearer tok1", "Bearer tok1", "Bearer tok1", "Bearer tok1", "Bearer tok2"],
            provider.Requests.Where(r => !r.Path.EndsWith("/token", StringComparison.Ordinal)).Select(r => r.Authorization));
    }

    private static ProviderConfig Config(string? auth) => ProvidersFile.Parse(
        $"providers:\n  p:\n    type: tap\n    title: Test Archive\n    url: {Url}\n" + (auth is null ? "" : "    auth:\n" + auth), "t.yaml")[0];

    private static HttpClient Client(ProviderConfig config, ScriptedProvider provider, TimeProvider? time = null) =>
        new(new ProviderCredentialHandler(config, new ProviderCredentials(time ?? TimeProvider.System), provider));

    internal sealed record Seen(string Path, string? Authorization, string? Cookie, string Body);

    /// <summary>Answers as each test scripts it and remembers what each request carried.</summary>
    internal sealed class ScriptedProvider : HttpMessageHandler
    {
        private readonly ConcurrentQueue<Seen> _requests = new();
        public Func<Seen, HttpResponseMessage> Answer { get; set; } = _ => new HttpResponseMessage(HttpStatusCode.OK);
        public IReadOnlyList<Seen> Requests => _requests.ToList();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            var seen = new Seen(request.RequestUri!.AbsolutePath, request.Headers.Authorization?.ToString(),
                request.Headers.TryGetValues("Cookie", out var c) ? string.Join("; ", c) : null, body);
            _requests.Enqueue(seen);
            return Answer(seen);
        }
    }

    internal sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => _now;
        public void Advance(TimeSpan by) => _now += by;
    }
}
