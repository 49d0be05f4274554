using System.Net;
using System.Xml.Linq;
using Broker.Server.Tests.Rest;
using Broker.Testing;

namespace Broker.Server.Tests.Tap;

/// <summary>
/// The TAP door on a real PostgreSQL that goes down: every UWS call answers 503 with a VOTable saying
/// QUERY_STATUS=ERROR and what to do (never a 500), /tap/sync keeps answering, and jobs come back with the database.
/// </summary>
[Trait("Category", "Heavy")]
public sealed class TapJobStoreOutageTests
{
    private static readonly XNamespace VoTable = "http://www.ivoa.net/xml/VOTable/v1.3";

    private static FormUrlEncodedContent Job() => new(new Dictionary<string, string>
    {
        ["LANG"] = "ADQL", ["QUERY"] = "SELECT TOP 3 table_name FROM TAP_SCHEMA.tables", ["FORMAT"] = "csv",
    });

    [Fact]
    public async Task PostgresDown_JobCallsAnswer503VoTableErrors_SyncStillAnswers_JobsReturnWithTheDatabase()
    {
        using var postgres = await Task.Run(PostgresServer.StartNew);
        var database = await Task.Run(() => postgres.CreateDatabase("tap_store_outage"));
        await using var broker = TestBroker.Start(TestBroker.Yaml("alpha"), extraArgs:
            ["--Postgres:ConnectionString", database, "--Sessions:RateLimitPerMinute", "0"]);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = broker.BaseUrl };
        string job;
        using (var created = await http.PostAsync("tap/async", Job()))
        {
            Assert.Equal(HttpStatusCode.SeeOther, created.StatusCode);
            job = created.Headers.Location!.AbsoluteUri;
        }

        await Task.Run(postgres.Stop);

        var answers = new List<(string Call, HttpResponseMessage Response)>
        {
            ("create", await http.PostAsync("tap/async", Job())),
            ("list", await http.GetAsync("tap/async")),
            ("read", await http.GetAsync(job)),
            ("phase", await http.GetAsync(job + "/phase")),
            ("run", await http.PostAsync(job + "/phase", new FormUrlEncodedContent(new Dictionary<string, string> { ["PHASE"] = "RUN" }))),
            ("delete", await http.DeleteAsync(job)),
        };
        foreach (var (call, response) in answers)
        {
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{call}: {(int)response.StatusCode}");
            Assert.Equal("application/x-votable+xml", response.Content.Headers.ContentType?.MediaType);
            Assert.True(response.Headers.RetryAfter is not null, call + ": no Retry-After");
            var info = XDocument.Parse(await response.Content.ReadAsStringAsync()).Descendants(VoTable + "INFO")
                .Single(i => (string?)i.Attribute("name") == "QUERY_STATUS");
            Assert.Equal("ERROR", (string?)info.Attribute("value"));
            Assert.Contains("job store (PostgreSQL) cannot be reached", info.Value);
            response.Dispose();
        }

        using (var sync = await http.PostAsync("tap/sync", Job()))
        {
            Assert.Equal(HttpStatusCode.OK, sync.StatusCode);
            Assert.StartsWith("table_name", await sync.Content.ReadAsStringAsync());
        }

        await Task.Run(postgres.Start);
        await Wait.UntilAsync(async () =>
        {
            using var again = await http.GetAsync(job);
            return again.StatusCode == HttpStatusCode.OK;
        }, "the job to be readable again once PostgreSQL is back");
    }
}
