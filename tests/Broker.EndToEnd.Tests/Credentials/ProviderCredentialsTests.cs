using System.Collections.Concurrent;
using System.Diagnostics;
using System.Xml.Linq;
using System.Net;
using System.Net.Http.Json;
using Broker.Core.Telemetry;
using System.Text.Json;
using Broker.Core.Credentials;
using Broker.Core.Model;
using Broker.Core.Providers;
using Broker.Core.Search;
using Broker.EndToEnd.Tests.Infrastructure;
using Broker.Simulators;
using Broker.Registry.QueryLog;
using Broker.Simulators.Auth;
using Broker.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.EndToEnd.Tests.Credentials;

/// <summary>
/// Provider credentials through the real broker (BrokerApp) over simulators that want HTTP Basic (TAO style), OIDC
/// bearer tokens (ESO style) and ESAC TAP+ login (SOAR style), each with public and restricted rows and files.
/// </summary>
public sealed class ProviderCredentialsTests(ProviderCredentialsTests.Fixture f) : IClassFixture<ProviderCredentialsTests.Fixture>
{
    private static readonly DateTimeOffset From = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, string> Schemes => new()
    {
        { "tao", "password" },
        { "eso", "password" },
        { "eso", "token" },
        { "esac", "password" },
        { "soar", "password" },
    };

    [Theory]
    [MemberData(nameof(Schemes))]
    public async Task EachScheme_AnonymousSeesPublicRowsOnly_TheCallersCredentialAddsTheRestrictedOnes(string provider, string kind)
    {
        var credential = kind == "token" ? ProviderCredential.Token(await f.FetchTokenAsync(provider)) : f.Right(provider);

        var anonymous = await f.SearchAsync(provider, null);
        var authorised = await f.SearchAsync(provider, credential);

        Assert.True(anonymous.Providers.Single().Status == ProviderStatus.Ok, anonymous.Providers.Single().Message);
        Assert.True(authorised.Providers.Single().Status == ProviderStatus.Ok, authorised.Providers.Single().Message);
        Assert.DoesNotContain(anonymous.Records, r => r.Restricted);
        Assert.Contains(authorised.Records, r => r.Restricted);
        Assert.True(authorised.Records.Count > anonymous.Records.Count);
        Assert.Empty(anonymous.Records.Select(r => r.FileId).Except(authorised.Records.Select(r => r.FileId)));
        Assert.Empty(authorised.Records.Where(r => !r.Restricted).Select(r => r.FileId).Except(anonymous.Records.Select(r => r.FileId)));
    }

    [Fact]
    public async Task ServiceCredentialFromAnEnvironmentVariable_RestJsonMarksTheRestrictedRecords()
    {
        var search = await Json.GetAsync(f.Broker.Http, "/api/v1/search?start=2020-01-01T00:00:00Z&end=2025-01-01T00:00:00Z&providers=tao-svc&limit=500");

        Assert.Equal("ok", Json.Status(search, "tao-svc"));
        var records = Json.Records(search);
        Assert.Contains(records, r => r.TryGetProperty("restricted", out var v) && v.GetBoolean());
        Assert.Contains(records, r => !r.TryGetProperty("restricted", out _));
    }

    [Fact]
    public async Task OidcTokenEndpointOnAnotherHost_DeclaredInProvidersYaml_IssuesTheServiceToken()
    {
        var search = await Json.GetAsync(f.Broker.Http, "/api/v1/search?start=2020-01-01T00:00:00Z&end=2025-01-01T00:00:00Z&providers=eso-sso&limit=500");

        Assert.Equal("ok", Json.Status(search, "eso-sso"));
        Assert.Contains(Json.Records(search), r => r.TryGetProperty("restricted", out var v) && v.GetBoolean());
    }

    [Theory]
    [InlineData("session")]
    [InlineData("credential")]
    public async Task SessionEndOrCredentialRemoval_LogsTheUsersTapPlusLoginOutAtTheProvider(string ending)
    {
        using var http = new HttpClient { BaseAddress = f.Broker.BaseUrl };
        var created = await http.PostAsync("/api/v1/sessions", null);
        http.DefaultRequestHeaders.Add("VSO-Session", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionId").GetString());
        var account = Fixture.Accounts["esac"];
        (await http.PutAsJsonAsync("/api/v1/sessions/current/credentials/esac", new { username = account.User, password = account.Password })).EnsureSuccessStatusCode();

        var search = await Json.GetAsync(http, "/api/v1/search?start=2020-01-01T00:00:00Z&end=2025-01-01T00:00:00Z&providers=esac&limit=500");
        var (logoutsBefore, liveBefore) = f.Sims.TapPlusSessions("esac");
        using var ended = await http.DeleteAsync(ending == "session" ? "/api/v1/sessions/current" : "/api/v1/sessions/current/credentials/esac");
        var (logoutsAfter, liveAfter) = f.Sims.TapPlusSessions("esac");

        Assert.Equal("ok", Json.Status(search, "esac"));
        Assert.Contains(Json.Records(search), r => r.TryGetProperty("restricted", out var v) && v.GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
        Assert.Equal((logoutsBefore + 1, liveBefore - 1), (logoutsAfter, liveAfter));
    }

    [Fact]
    public async Task TapAsyncJob_OfASessionWithCredentials_RunsWithThem_AndEndsInErrorWhenTheyAreGone()
    {
        using var anonymous = new HttpClient { BaseAddress = f.Broker.BaseUrl };
        using var http = await f.SessionWithCredentialsAsync("tao");

        var publicRows = await anonymous.GetStringAsync(Fixture.TaoSyncUrl);
        var sessionRows = await http.GetStringAsync(Fixture.TaoSyncUrl);
        var done = await Fixture.FinishedJobAsync(http, await Fixture.SubmitJobAsync(http, run: true));
        var jobRows = await http.GetStringAsync($"/tap/async/{done.Id}/results/result");
        var waiting = await Fixture.SubmitJobAsync(http, run: false);
        (await http.DeleteAsync("/api/v1/sessions/current/credentials/tao")).EnsureSuccessStatusCode();
        (await http.PostAsync($"/tap/async/{waiting}/phase", new FormUrlEncodedContent([new("PHASE", "RUN")]))).Dispose();
        var refused = await Fixture.FinishedJobAsync(http, waiting);

        Assert.Equal("COMPLETED", done.Phase);
        Assert.Equal(sessionRows, jobRows);
        Assert.True(Lines(jobRows) > Lines(publicRows), $"{Lines(jobRows)} rows with credentials, {Lines(publicRows)} without");
        Assert.Equal("ERROR", refused.Phase);
        Assert.Contains("credentials for tao, and they are gone", refused.Error);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/tap/async/{done.Id}/results/result")).StatusCode);
        Assert.Equal(publicRows, await anonymous.GetStringAsync(Fixture.TaoSyncUrl)); // the job's answer did not fill the shared cache
    }

    [Fact]
    public async Task DataLink_OfARestrictedRecord_GivesTheSessionABrokerDownloadLinkThatServesTheFile()
    {
        using var http = await f.SessionWithCredentialsAsync("tao");
        using var anonymous = new HttpClient { BaseAddress = f.Broker.BaseUrl };
        var search = await Json.GetAsync(http, "/api/v1/search?start=2020-01-01T00:00:00Z&end=2025-01-01T00:00:00Z&providers=tao&limit=500");
        var fileId = Json.Records(search).First(r => r.TryGetProperty("restricted", out var v) && v.GetBoolean()).GetProperty("fileId").GetString()!;
        var links = "/tap/links?ID=" + Uri.EscapeDataString("ivo://vso.broker/records?tao/" + fileId);

        var mine = AccessUrl(await http.GetStringAsync(links));
        var theirs = AccessUrl(await anonymous.GetStringAsync(links), orError: true);
        using var download = await anonymous.GetAsync(mine);

        Assert.StartsWith(new Uri(f.Broker.BaseUrl, "/api/v1/download/").ToString(), mine, StringComparison.Ordinal);
        Assert.DoesNotContain("/api/v1/download/", theirs, StringComparison.Ordinal); // no session: nothing of the broker's to fetch with
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(f.Sims.FileContent("tao", fileId), await download.Content.ReadAsByteArrayAsync());
    }

    /// <summary>The access_url of the first #this row of a DataLink {links} VOTable.</summary>
    private static string AccessUrl(string votable, bool orError = false)
    {
        XNamespace v = "http://www.ivoa.net/xml/VOTable/v1.3";
        var doc = XDocument.Parse(votable);
        var names = doc.Descendants(v + "FIELD").Select(e => (string)e.Attribute("name")!).ToList();
        var row = doc.Descendants(v + "TR").Select(tr => tr.Elements(v + "TD").Select(td => td.Value).ToList())
            .First(cells => cells[names.IndexOf("semantics")] == "#this");
        Assert.True(orError || row[names.IndexOf("error_message")].Length == 0, row[names.IndexOf("error_message")]);
        return row[names.IndexOf("access_url")];
    }

    private static int Lines(string csv) => csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    [Fact]
    public async Task WrongCredentials_AreUnauthorizedWithAMessageToActOn_WhileOtherUsersOfThatProviderStayOk()
    {
        var wrong = ProviderCredential.Password("tao-user", "not-the-password");
        var searches = Enumerable.Range(0, 6).Select(i => f.SearchAsync("tao", i % 2 == 0 ? wrong : null, bypassCache: true))
            .Append(f.SearchAsync("tao", f.Right("tao"))).ToList();
        var results = await Task.WhenAll(searches);

        for (var i = 0; i < 6; i += 2)
        {
            var refused = results[i].Providers.Single();
            Assert.Equal(ProviderStatus.Unauthorized, refused.Status);
            Assert.StartsWith("TAO (simulated) refused the credentials of this session (HTTP 401): log in again", refused.Message);
            Assert.Empty(results[i].Records);
        }
        Assert.All(results.Where((_, i) => i % 2 == 1 || i == 6), r => Assert.Equal(ProviderStatus.Ok, r.Providers.Single().Status));
        var state = f.Broker.Services.GetRequiredService<IProviderCatalog>().Current.Find("tao")!.Snapshot();
        Assert.Equal(("closed", 0L), (state.Circuit, state.Failures));
    }

    [Fact]
    public async Task GetData_RestrictedFile_IsVerifiedWithTheCallersCredential_AndRefusedWithout()
    {
        var authorised = await f.SearchAsync("tao", f.Right("tao"));
        var file = authorised.Records.First(r => r.Restricted);
        var resolver = f.Broker.Services.GetRequiredService<FileResolver>();
        var verifier = f.Broker.Services.GetRequiredService<IUrlVerifier>();
        FileGroup[] groups = [new("tao", [new FileRequest(file.FileId, file)])];

        var mine = await resolver.ResolveAsync(groups, verifier, CancellationToken.None, f.Callers("tao", f.Right("tao")));
        var anonymous = await resolver.ResolveAsync(groups, verifier, CancellationToken.None);

        Assert.Equal(FileStatus.Ok, mine.Single().Files.Single().Status);
        var refused = anonymous.Single().Files.Single();
        Assert.Equal(FileStatus.Broken, refused.Status);
        Assert.Contains("requires credentials", refused.Detail);
    }

    [Fact]
    public async Task SecretScan_LogsTracesMetricsAnswersAndTheDatabaseOfAuthenticatedSearchesAndGetData_ContainNoSecret()
    {
        var queryLog = f.Broker.Services.GetRequiredService<QueryLogWriter>();
        var loggedBefore = queryLog.Counters.Written;
        var answers = new List<string>();
        foreach (var (provider, _) in Fixture.Accounts)
        {
            foreach (var credential in new[] { f.Right(provider), ProviderCredential.Password(Fixture.Accounts[provider].User, "wrong-" + provider + "-secret") })
            {
                var result = await f.SearchAsync(provider, credential, bypassCache: true);
                answers.Add(JsonSerializer.Serialize(result));
                var restricted = result.Records.Where(r => r.Restricted).Take(3).Select(r => new FileRequest(r.FileId, r)).ToList();
                if (restricted.Count == 0) continue;
                var files = await f.Broker.Services.GetRequiredService<FileResolver>().ResolveAsync([new FileGroup(provider, restricted)],
                    f.Broker.Services.GetRequiredService<IUrlVerifier>(), CancellationToken.None, f.Callers(provider, credential));
                answers.Add(JsonSerializer.Serialize(files));
            }
        }
        answers.Add(JsonSerializer.Serialize(await f.SearchAsync("eso", ProviderCredential.Token(await f.FetchTokenAsync("eso")))));
        answers.Add(await f.Broker.Http.GetStringAsync("/api/v1/search?start=2020-01-01T00:00:00Z&end=2025-01-01T00:00:00Z&providers=tao-svc,eso-svc&limit=50"));
        answers.Add(await f.Broker.Http.GetStringAsync("/api/v1/providers"));
        answers.Add(await f.Broker.Http.GetStringAsync("/metrics"));
        answers.Add(await f.Broker.Http.GetStringAsync("/openapi/v1.json"));

        var secrets = Fixture.Accounts.Values.Select(a => a.Password)
            .Concat(Fixture.Accounts.Keys.Select(p => "wrong-" + p + "-secret"))
            .Concat(Fixture.Accounts.Keys.SelectMany(f.Sims.IssuedSecrets))
            .ToList();
        // A TAP async job that ran with a session's own credentials: its row and result are in the database scanned below.
        using var jobSession = await f.SessionWithCredentialsAsync("tao");
        var job = await Fixture.FinishedJobAsync(jobSession, await Fixture.SubmitJobAsync(jobSession, run: true));
        Assert.Equal("COMPLETED", job.Phase);
        answers.Add(await jobSession.GetStringAsync($"/tap/async/{job.Id}"));
        secrets.Add(jobSession.DefaultRequestHeaders.GetValues("VSO-Session").Single()); // session ids never appear either

        // Every search above is in the PostgreSQL query log once its writer has flushed; then the whole database (query
        // log, registry, jobs) and PostgreSQL's own server log are scanned too.
        await Wait.UntilAsync(() => queryLog.Counters is { Buffered: 0 } c && c.Written >= loggedBefore + 2 * Fixture.Accounts.Count,
            "the query log to store the scan's searches");
        var database = f.Postgres.DumpData(Fixture.Database);
        Assert.Contains("tao-svc", database, StringComparison.Ordinal);
        Assert.Contains("Unauthorized", database, StringComparison.Ordinal); // the wrong-password searches' provider rows
        Assert.Contains("x-broker-credential-providers", database, StringComparison.Ordinal); // the job of the session with credentials
        var stored = new[] { database, f.Postgres.ServerLog() };
        var logs = CapturedLog.All;
        Assert.True(logs.Count > 20, $"only {logs.Count} log events were captured");
        var traces = f.Traces.ToList();
        Assert.Contains(traces, t => t.StartsWith(BrokerTelemetry.SourceName + " ", StringComparison.Ordinal));
        Assert.Contains(traces, t => t.Contains("/tap/", StringComparison.Ordinal)); // the provider calls' client spans
        Assert.Contains(logs, l => l.Contains("\"tao\"", StringComparison.Ordinal));
        Assert.True(secrets.Count > 8);
        foreach (var secret in secrets)
        {
            var leak = logs.Concat(traces).Concat(answers).Concat(stored).FirstOrDefault(t => t.Contains(secret, StringComparison.Ordinal));
            Assert.True(leak is null, $"secret #{secrets.IndexOf(secret)} appears in: {leak?.Replace(secret, "<SECRET>", StringComparison.Ordinal)}");
        }
    }

    public sealed class Fixture : IAsyncLifetime
    {
        public sealed record Account(string User, string Password);

        public static readonly Dictionary<string, Account> Accounts = new()
        {
            ["tao"] = new("tao-user", "tao-Pa55-8c1f"),
            ["eso"] = new("eso-client", "eso-S3cret-41d7"),
            ["esac"] = new("esac-user", "esac-Pa55-a92e"),
            ["soar"] = new("soar-user", "soar-Pa55-3b6d"),
        };

        /// <summary>The database of the broker's query log, registry and jobs (a real PostgreSQL, so the scan covers them).</summary>
        public const string Database = "creds_scan";

        public RunningSimulators Sims { get; private set; } = null!;

        public PostgresServer Postgres { get; private set; } = null!;

        /// <summary>
        /// Every span of the run as text (source, name, status, tags, events and their tags), as an exporter would get
        /// it: the listener records all sources, the broker's, ASP.NET Core's, HttpClient's and Npgsql's alike.
        /// </summary>
        public ConcurrentQueue<string> Traces { get; } = new();

        private ActivityListener? _listener;

        private static string Describe(Activity a) =>
            string.Join(" ", new[] { a.Source.Name, a.OperationName, a.DisplayName, a.StatusDescription ?? "" }
                .Concat(a.TagObjects.Select(t => $"{t.Key}={t.Value}"))
                .Concat(a.Baggage.Select(b => $"{b.Key}={b.Value}"))
                .Concat(a.Events.SelectMany(e => e.Tags.Select(t => $"{t.Key}={t.Value}").Prepend(e.Name))));
        public BrokerHost Broker { get; private set; } = null!;

        /// <summary>The same loopback endpoint under the name <c>localhost</c>: to the broker another host than 127.0.0.1 (ESO's token service is not on its TAP host).</summary>
        public static string OtherHost(string url) => new UriBuilder(url) { Host = "localhost" }.Uri.ToString();

        public const string TaoQuery = "SELECT provider, fileid FROM vso.records WHERE provider = 'tao' " +
                                       "AND time_end >= '2020-01-01T00:00:00' AND time_start <= '2025-01-01T00:00:00' ORDER BY fileid";

        public static string TaoSyncUrl => "/tap/sync?LANG=ADQL&FORMAT=csv&QUERY=" + Uri.EscapeDataString(TaoQuery);

        private static readonly XNamespace Uws = "http://www.ivoa.net/xml/UWS/v1.0";

        public sealed record JobState(string Id, string Phase, string Error);

        /// <summary>A client of a new broker session (VSO-Session header, redirects not followed) holding the provider's right credentials.</summary>
        public async Task<HttpClient> SessionWithCredentialsAsync(string provider)
        {
            var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Broker.BaseUrl };
            using var created = await http.PostAsync("/api/v1/sessions", null);
            http.DefaultRequestHeaders.Add("VSO-Session", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionId").GetString());
            var account = Accounts[provider];
            (await http.PutAsJsonAsync($"/api/v1/sessions/current/credentials/{provider}", new { username = account.User, password = account.Password })).EnsureSuccessStatusCode();
            return http;
        }

        /// <summary>Creates a TAP async job of <see cref="TaoQuery"/> (CSV), started at once or left PENDING; returns its id.</summary>
        public static async Task<string> SubmitJobAsync(HttpClient http, bool run)
        {
            var form = new Dictionary<string, string> { ["LANG"] = "ADQL", ["FORMAT"] = "csv", ["QUERY"] = TaoQuery };
            if (run) form["PHASE"] = "RUN";
            using var response = await http.PostAsync("/tap/async", new FormUrlEncodedContent(form));
            Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
            return response.Headers.Location!.ToString().TrimEnd('/').Split('/')[^1];
        }

        public static async Task<JobState> FinishedJobAsync(HttpClient http, string id)
        {
            XElement job = null!;
            await Wait.UntilAsync(async () =>
            {
                job = XDocument.Parse(await http.GetStringAsync($"/tap/async/{id}?WAIT=5")).Root!;
                return job.Element(Uws + "phase")!.Value is "COMPLETED" or "ERROR" or "ABORTED";
            }, TimeSpan.FromSeconds(90), $"TAP job {id} to finish");
            return new JobState(id, job.Element(Uws + "phase")!.Value, job.Element(Uws + "errorSummary")?.Value ?? "");
        }

        public ProviderCredential Right(string provider) => ProviderCredential.Password(Accounts[provider].User, Accounts[provider].Password);

        public CallerCredentials Callers(string provider, ProviderCredential credential) => new([new(provider, credential)]);

        public async Task<SearchResult> SearchAsync(string provider, ProviderCredential? credential, bool bypassCache = false) =>
            await Broker.Services.GetRequiredService<SearchEngine>().SearchAsync(new SearchRequest
            {
                Query = NormalizedQuery.Single(new QueryBlock { Time = new TimeRange(From, From.AddYears(5)) }),
                Limit = 20_000,
                OnlyProviders = new HashSet<string> { provider },
                Credentials = credential is null ? null : Callers(provider, credential),
                BypassCache = bypassCache,
            }, CancellationToken.None);

        /// <summary>A token the user got from the provider's token endpoint themselves (password grant).</summary>
        public async Task<string> FetchTokenAsync(string provider)
        {
            using var http = new HttpClient();
            using var response = await http.PostAsync(Sims.TokenUrl(provider), new FormUrlEncodedContent(
                [new("grant_type", "password"), new("username", Accounts[provider].User), new("password", Accounts[provider].Password)]));
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
        }

        public async Task InitializeAsync()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = _ => true,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = a => Traces.Enqueue(Describe(a)),
            };
            ActivitySource.AddActivityListener(_listener);
            Postgres = await Task.Run(PostgresServer.StartNew);
            var connection = await Task.Run(() => Postgres.CreateDatabase(Database));
            SimulatedProviderOptions Sim(string name, SimulatorKind kind, SimulatedAuthScheme auth, int seed, int records = 3_000) => new()
            {
                Name = name, Kind = kind, Seed = seed, RecordCount = records, Auth = auth,
                Username = Accounts[name].User, Password = Accounts[name].Password,
            };
            Sims = await SimulatorHost.StartAsync(new SimulatorOptions
            {
                Providers =
                [
                    Sim("tao", SimulatorKind.ObsCore, SimulatedAuthScheme.Basic, 21),
                    Sim("eso", SimulatorKind.ObsCore, SimulatedAuthScheme.Bearer, 22),
                    Sim("esac", SimulatorKind.ObsCore, SimulatedAuthScheme.TapLogin, 23),
                    // A SOAR-style archive large enough that an authorised answer is a multi-megabyte BINARY2 stream.
                    Sim("soar", SimulatorKind.Soar, SimulatedAuthScheme.TapLogin, 24, records: 12_000),
                ],
            });
            Environment.SetEnvironmentVariable("CREDS_E2E_TAO_PASSWORD", Accounts["tao"].Password);
            Environment.SetEnvironmentVariable("CREDS_E2E_ESO_SECRET", Accounts["eso"].Password);
            // The rights column is detected from VOSI /tables (ObsCore's and the SOAR-style simulator's data_rights),
            // except for esac, which names it (the override).
            const string options = "mode: sync";
            var yaml = $$"""
                providers:
                  tao:
                    type: tap
                    title: TAO (simulated)
                    url: {{Sims.TapUrl("tao")}}
                    auth: { scheme: basic }
                    options: { profile: obscore, {{options}} }
                  tao-svc:
                    type: tap
                    url: {{Sims.TapUrl("tao")}}
                    auth: { scheme: basic, username: {{Accounts["tao"].User}}, password: "env:CREDS_E2E_TAO_PASSWORD" }
                    options: { profile: obscore, {{options}} }
                  eso:
                    type: tap
                    url: {{Sims.TapUrl("eso")}}
                    auth: { scheme: oidc, tokenUrl: "{{Sims.TokenUrl("eso")}}", grant: password }
                    options: { profile: obscore, {{options}} }
                  eso-svc:
                    type: tap
                    url: {{Sims.TapUrl("eso")}}
                    auth: { scheme: oidc, tokenUrl: "{{Sims.TokenUrl("eso")}}", clientId: {{Accounts["eso"].User}}, clientSecret: "env:CREDS_E2E_ESO_SECRET" }
                    options: { profile: obscore, {{options}} }
                  eso-sso:
                    type: tap
                    url: {{Sims.TapUrl("eso")}}
                    auth: { scheme: oidc, tokenUrl: "{{OtherHost(Sims.TokenUrl("eso"))}}", tokenUrlOnOtherHost: true,
                            clientId: {{Accounts["eso"].User}}, clientSecret: "env:CREDS_E2E_ESO_SECRET" }
                    options: { profile: obscore, {{options}} }
                  esac:
                    type: tap
                    url: {{Sims.TapUrl("esac")}}
                    auth: { scheme: tapLogin }
                    options: { profile: obscore, mode: async, pollInterval: 100ms, maxPollInterval: 200ms, rightsColumn: data_rights }
                  soar:
                    type: tap
                    title: SOAR (simulated)
                    url: {{Sims.TapUrl("soar")}}
                    auth: { scheme: tapLogin }
                    resilience: { maxRecords: 50000 }
                    options: { profile: soar, mode: sync, format: auto }
                """;
            Broker = await BrokerHost.StartAsync(yaml, new Dictionary<string, string>
            {
                ["Postgres:ConnectionString"] = connection,
                ["Serilog:Using:0"] = "Broker.EndToEnd.Tests",
                ["Serilog:WriteTo:0:Name"] = "CapturedLog",
                ["Serilog:MinimumLevel:Default"] = "Verbose",
                ["Serilog:MinimumLevel:Override:Microsoft"] = "Verbose",
                ["Serilog:MinimumLevel:Override:System"] = "Verbose",
            });
        }

        public async Task DisposeAsync()
        {
            await Broker.DisposeAsync();
            await Sims.DisposeAsync();
            Postgres?.Dispose();
            _listener?.Dispose();
        }
    }
}
