using System.Net;
using System.Net.Http.Json;
using System.Xml.Linq;
using Broker.EndToEnd.Tests.Infrastructure;
using Broker.EndToEnd.Tests.Soap;

namespace Broker.EndToEnd.Tests.Tap;

/// <summary>
/// The broker's own TAP service at /tap over a stable federation (SOAR-like TAP, ObsCore TAP, legacy SOAP), checked
/// by the real validators (STILTS taplint and votlint) and against the REST API.
/// </summary>
[Collection(SoapFederationCollection.Name)]
public sealed partial class TapServiceTests(SoapFederationFixture federation)
{
    private const string Window = "time_end >= '2022-03-21T08:00:00' AND time_start <= '2022-03-21T10:00:00'";
    private static readonly XNamespace Vot = "http://www.ivoa.net/xml/VOTable/v1.3";

    private HttpClient Http => federation.Broker.Http;
    private string TapUrl => new Uri(federation.Broker.BaseUrl, "tap").ToString();

    private static string Sync(string query, string extra = "") => "tap/sync?LANG=ADQL&QUERY=" + Uri.EscapeDataString(query) + extra;

    [Fact]
    public async Task Taplint_NoErrorsAndAtMostFiveWarnings()
    {
        var output = await Stilts.RunAsync(TimeSpan.FromMinutes(5), "taplint", "tapurl=" + TapUrl, "report=EWF", "stages=-LOC", "maxrepeat=5");

        var (errors, warnings) = Stilts.Totals(output);
        Assert.True(errors == 0 && warnings <= 5, output);
    }

    [Theory]
    [InlineData("votable")]
    [InlineData("votable/b2")]
    [InlineData("votable/b")]
    [InlineData("application/x-votable+xml;serialization=BINARY2")]
    public async Task Votlint_EveryVoTableFormatIsClean(string format)
    {
        var output = await VotlintAsync(Sync($"SELECT * FROM vso.records WHERE {Window}", "&RESPONSEFORMAT=" + Uri.EscapeDataString(format)));

        Assert.True(string.IsNullOrWhiteSpace(output), output);
    }

    [Fact]
    public async Task Votlint_ErrorDocumentIsClean()
    {
        var output = await VotlintAsync(Sync("SELECT nothing FROM vso.records"));

        Assert.True(string.IsNullOrWhiteSpace(output), output);
    }

    [Fact]
    public async Task SyncQuery_ReturnsTheSameRecordsAsTheRestApi()
    {
        var rest = await Json.GetAsync(Http, "api/v1/search?start=2022-03-21T08:00:00Z&end=2022-03-21T10:00:00Z&instrument=AIA&limit=100000");
        var expected = Json.Records(rest).Select(r => (r.GetProperty("provider").GetString(), r.GetProperty("fileId").GetString())).ToHashSet();

        // The broker's time rule in ADQL: begin < end of range, and end > start of range (or a zero-length record at or after the start).
        var rule = "time_start < '2022-03-21T10:00:00' AND (time_end > '2022-03-21T08:00:00' OR time_start >= '2022-03-21T08:00:00')";
        var csv = await Http.GetStringAsync(Sync($"SELECT provider, fileid FROM vso.records WHERE {rule} AND instrument = 'AIA'", "&FORMAT=csv&MAXREC=100000"));
        var got = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).Select(c => ((string?)c[0], (string?)c[1])).ToHashSet();

        Assert.NotEmpty(expected);
        Assert.Equal(expected.Order(), got.Order());
    }

    [Fact]
    public async Task Aggregates_AreEvaluatedOnTheMergedRows()
    {
        var doc = await VoTableAsync(Sync($"SELECT provider, COUNT(*) AS n FROM vso.records WHERE {Window} GROUP BY provider ORDER BY provider"));

        var rows = Rows(doc);
        Assert.Equal(rows.Select(r => r[0]).Order(), rows.Select(r => r[0]));
        Assert.All(rows, r => Assert.True(long.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture) > 0));
        Assert.Contains(Infos(doc), i => i.Name == "provider" && i.Value == "soar");
        Assert.Equal("OK", Infos(doc).First().Value);
    }

    [Fact]
    public async Task MaxRec_CutsRowsAndSaysOverflowAfterTheTable()
    {
        var doc = await VoTableAsync(Sync($"SELECT provider FROM vso.records WHERE {Window}", "&MAXREC=3"));

        Assert.Equal(3, Rows(doc).Count);
        var resource = doc.Root!.Element(Vot + "RESOURCE")!;
        var last = resource.Elements().Last();
        Assert.Equal(("INFO", "QUERY_STATUS", "OVERFLOW"), (last.Name.LocalName, (string?)last.Attribute("name"), (string?)last.Attribute("value")));
    }

    [Fact]
    public async Task QueryWithoutTimeRangeNeedingAllRows_IsRefusedSayingWhatToAdd()
    {
        using var response = await Http.GetAsync(Sync("SELECT instrument, COUNT(*) FROM vso.records GROUP BY instrument"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = ErrorMessage(XDocument.Parse(await response.Content.ReadAsStringAsync()));
        Assert.Contains("time_end >=", error);
        Assert.Contains("whole archive", error);
    }

    [Fact]
    public async Task SyntaxError_NamesThePosition()
    {
        using var response = await Http.GetAsync(Sync("SELECT provider\nFROM vso.records WHERE WHERE"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at 2:", ErrorMessage(XDocument.Parse(await response.Content.ReadAsStringAsync())));
    }

    [Fact]
    public async Task Head_AnswersTheRestCountHeadersWithoutRecords()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, Sync($"SELECT * FROM vso.records WHERE {Window}"));
        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(int.Parse(response.Headers.GetValues("VSO-Count-Records").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Contains("soar=", response.Headers.GetValues("VSO-Count-Provider").Single());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task PostMultipartAndChunked_AreAccepted()
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("ADQL"), "LANG" },
            { new StringContent("SELECT TOP 2 table_name FROM TAP_SCHEMA.tables"), "QUERY" },
            { new StringContent("csv"), "RESPONSEFORMAT" },
            { new StringContent("ignore-me"), "DUMMY" },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "tap/sync") { Content = form };
        request.Headers.TransferEncodingChunked = true;
        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Theory]
    [InlineData("tap/sync", "multipart/form-data; boundary=XYZ", "--XYZ\r\nContent-Disposition: form-data; name=\"QUERY\"\r\n\r\nSELECT")]
    [InlineData("tap/sync", "multipart/form-data", "LANG=ADQL")]
    [InlineData("tap/sync", "application/x-www-form-urlencoded; charset=utf-16", "LANG=ADQL&QUERY=SELECT+1")]
    [InlineData("tap/sync", "application/x-www-form-urlencoded; charset=no-such-charset", "LANG=ADQL&QUERY=SELECT+1")]
    [InlineData("tap/sync", "application/x-www-form-urlencoded", "LANG=ADQL&QUERY=SELECT%ZZ+provider+FROM+vso.records%")]
    [InlineData("tap/sync", "application/x-www-form-urlencoded", "LANG=ADQL&QUERY=SELECT+%FF%FE")]
    [InlineData("tap/async", "multipart/form-data; boundary=XYZ", "--XYZ\r\nContent-Disposition: form-data; name=\"QUERY\"\r\n\r\nSELECT")]
    public async Task UndecodableBody_IsAVoTableErrorSayingWhy(string path, string contentType, string body)
    {
        using var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await Http.PostAsync(path, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/x-votable+xml", response.Content.Headers.ContentType?.MediaType);
        var doc = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ERROR", Infos(doc).Single(i => i.Name == "QUERY_STATUS").Value);
        Assert.False(string.IsNullOrWhiteSpace(ErrorMessage(doc)));
    }

    [Fact]
    public async Task AsyncJob_RunsAndServesTheSameRowsAsSync()
    {
        var query = $"SELECT provider, fileid FROM vso.records WHERE {Window} AND instrument = 'HMI' ORDER BY provider, fileid";
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = federation.Broker.BaseUrl };
        using var create = await noRedirect.PostAsync("tap/async", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["LANG"] = "ADQL", ["QUERY"] = query, ["PHASE"] = "RUN", ["FORMAT"] = "csv",
        }));
        Assert.Equal(HttpStatusCode.SeeOther, create.StatusCode);
        var job = create.Headers.Location!;
        Assert.True(job.IsAbsoluteUri);

        var phase = await noRedirect.GetStringAsync(job + "/phase");
        Assert.Contains(phase, new[] { "QUEUED", "EXECUTING", "COMPLETED" });
        var doc = XDocument.Parse(await noRedirect.GetStringAsync(job + "?WAIT=60"));
        XNamespace uws = "http://www.ivoa.net/xml/UWS/v1.0";
        for (var i = 0; i < 10 && doc.Root!.Element(uws + "phase")!.Value is "QUEUED" or "EXECUTING"; i++)
            doc = XDocument.Parse(await noRedirect.GetStringAsync(job + "?WAIT=60"));
        Assert.Equal("COMPLETED", doc.Root!.Element(uws + "phase")!.Value);

        var asyncCsv = await noRedirect.GetStringAsync(job + "/results/result");
        var syncCsv = await Http.GetStringAsync(Sync(query, "&FORMAT=csv"));
        Assert.Equal(syncCsv, asyncCsv);

        using var delete = await noRedirect.DeleteAsync(job);
        Assert.Equal(HttpStatusCode.SeeOther, delete.StatusCode);
        using var gone = await noRedirect.GetAsync(job);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task TapPlusLogin_JoinsTheSessionWhoseIdIsThePassword_AndRefusesAnyOtherPassword()
    {
        using var plain = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = federation.Broker.BaseUrl };
        using var rest = await plain.GetAsync("api/v1/providers");
        var session = rest.Headers.GetValues("VSO-Session").Single();

        using var wrong = await plain.PostAsync("tap/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "me", ["password"] = "not-a-session" }));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("no accounts", await wrong.Content.ReadAsStringAsync());

        using var login = await plain.PostAsync("tap/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "me", ["password"] = session }));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var cookie = login.Headers.GetValues("Set-Cookie").First();
        Assert.StartsWith($"JSESSIONID={session};", cookie);
        Assert.Contains("path=/tap", cookie);

        // A job created through the TAP+ cookie belongs to the REST session: it shows in the listing under the header.
        using var create = new HttpRequestMessage(HttpMethod.Post, "tap/async")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["LANG"] = "ADQL", ["QUERY"] = "SELECT TOP 1 * FROM TAP_SCHEMA.schemas" }),
        };
        create.Headers.Add("Cookie", "JSESSIONID=" + session);
        using var created = await plain.SendAsync(create);
        Assert.Equal(HttpStatusCode.SeeOther, created.StatusCode);
        using var list = new HttpRequestMessage(HttpMethod.Get, "tap/async");
        list.Headers.Add("VSO-Session", session);
        using var listed = await plain.SendAsync(list);
        Assert.Contains(created.Headers.Location!.Segments.Last(), await listed.Content.ReadAsStringAsync());

        using var logout = new HttpRequestMessage(HttpMethod.Post, "tap/logout");
        logout.Headers.Add("Cookie", "JSESSIONID=" + session);
        using var loggedOut = await plain.SendAsync(logout);
        Assert.Equal(HttpStatusCode.OK, loggedOut.StatusCode);
        using var again = new HttpRequestMessage(HttpMethod.Get, "api/v1/sessions/current");
        again.Headers.Add("VSO-Session", session);
        using var ended = await plain.SendAsync(again); // the ended session is not adopted: a new one is issued
        Assert.NotEqual(session, ended.Headers.GetValues("VSO-Session").Single());
    }

    [Fact]
    public async Task DataLink_AccessUrlsOfObsCore_LinkTheFileGetDataResolves_AndDatalinklintIsClean()
    {
        // 2022-03-21 08:00-10:00 in MJD.
        var csv = await Http.GetStringAsync(Sync("SELECT obs_collection, obs_id, obs_publisher_did, access_url, access_format FROM ivoa.obscore " +
            "WHERE t_max >= 59659.3333 AND t_min <= 59659.4166 AND instrument_name = 'AIA' ORDER BY obs_collection, obs_id", "&FORMAT=csv"));
        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToList();
        var firstOfEach = rows.GroupBy(r => r[0]).Select(g => g.First()).ToList();
        Assert.Equal([SoapFederationFixture.Soap, SoapFederationFixture.Tap], firstOfEach.Select(r => r[0]));

        foreach (var row in firstOfEach)
        {
            Assert.Equal("application/x-votable+xml;content=datalink", row[4]);
            using var response = await Http.GetAsync(row[3]);
            Assert.Equal("application/x-votable+xml;content=datalink", response.Content.Headers.ContentType!.ToString().Replace(" ", ""));
            var links = Rows(XDocument.Parse(await response.Content.ReadAsStringAsync()));
            var self = Assert.Single(links, l => l[4] == "#this");
            Assert.Equal(row[2], self[0]);
            Assert.Equal("", self[3]);
            Assert.Equal(await GetDataUrlAsync(row[0], row[1]), self[1]);
        }

        // Several IDs, one of them unknown to its provider and one not an id of this service: each gets its row.
        var ids = firstOfEach.Select(r => r[2]).Append("ivo://vso.broker/records?sdo/no-such-file").Append("ivo://elsewhere/x");
        var url = TapUrl + "/links?" + string.Join("&", ids.Select(i => "ID=" + Uri.EscapeDataString(i)));
        var all = Rows(XDocument.Parse(await Http.GetStringAsync(url)));
        Assert.StartsWith("NotFoundFault:", all.Single(l => l[0] == "ivo://vso.broker/records?sdo/no-such-file")[3]);
        Assert.StartsWith("NotFoundFault:", all.Single(l => l[0] == "ivo://elsewhere/x")[3]);

        var lint = await Stilts.RunAsync(TimeSpan.FromMinutes(2), "datalinklint", "report=EW", "votable=" + url);
        Assert.True(Stilts.Totals(lint) == (0, 0), lint);
    }

    [Fact]
    public async Task DataLink_WithoutId_IsAUsageFault()
    {
        using var response = await Http.GetAsync("tap/links");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("UsageFault: ID is missing", ErrorMessage(XDocument.Parse(await response.Content.ReadAsStringAsync())));
    }

    private async Task<string?> GetDataUrlAsync(string provider, string fileId)
    {
        using var response = await Http.PostAsJsonAsync("api/v1/getdata", new { files = new[] { new { provider, fileIds = new[] { fileId } } } });
        var doc = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return doc.GetProperty("providers")[0].GetProperty("files")[0].GetProperty("url").GetString();
    }

    /// <summary>votlint's complaints about the document at <paramref name="url"/> (fetched first: a 400 error document counts too).</summary>
    private async Task<string> VotlintAsync(string url)
    {
        var file = Path.Combine(Path.GetTempPath(), $"tap-{Guid.NewGuid():N}.vot");
        using (var response = await Http.GetAsync(url))
            await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync());
        try
        {
            return await Stilts.RunAsync(TimeSpan.FromMinutes(2), "votlint", "votable=" + file, "version=1.4");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private async Task<XDocument> VoTableAsync(string url)
    {
        using var response = await Http.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return XDocument.Parse(text);
    }

    private static List<string[]> Rows(XDocument doc) =>
        doc.Descendants(Vot + "TR").Select(tr => tr.Elements(Vot + "TD").Select(td => td.Value).ToArray()).ToList();

    private static List<(string? Name, string? Value)> Infos(XDocument doc) =>
        doc.Root!.Element(Vot + "RESOURCE")!.Elements(Vot + "INFO").Select(i => ((string?)i.Attribute("name"), (string?)i.Attribute("value"))).ToList();

    private static string ErrorMessage(XDocument doc)
    {
        var status = doc.Descendants(Vot + "INFO").Single(i => (string?)i.Attribute("name") == "QUERY_STATUS");
        Assert.Equal("ERROR", (string?)status.Attribute("value"));
        return status.Value;
    }
}
