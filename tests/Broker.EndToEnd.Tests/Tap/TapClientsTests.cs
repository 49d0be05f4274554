using System.Text.Json;
using Broker.EndToEnd.Tests.Infrastructure;
using Broker.EndToEnd.Tests.Soap;
using Xunit.Abstractions;

namespace Broker.EndToEnd.Tests.Tap;

/// <summary>
/// Debian's pyvo and astroquery (TapPlus, with its TAP+ login over https) against the broker's TAP service: every
/// call returns the same records as the REST API for the same query.
/// </summary>
[Collection(SoapFederationCollection.Name)]
[Trait("Category", "Compat")]
public sealed class TapClientsTests(SoapFederationFixture f, ITestOutputHelper output)
{
    private const string Start = "2022-03-21T08:00:00";
    private const string End = "2022-03-21T10:00:00";

    /// <summary>The REST API's time rule in ADQL (record [begin, end) overlaps [start, end); zero-length records at or after start).</summary>
    private const string Query = "SELECT provider, fileid, time_start FROM vso.records WHERE instrument = 'AIA' AND time_start < '" + End +
                                 "' AND (time_end > '" + Start + "' OR time_start >= '" + Start + "')";

    private async Task<List<(string Provider, string FileId)>> RestAsync() =>
        RestSearch.Keys(await RestSearch.GetAsync(f.Broker.Http, $"start={Start}Z&end={End}Z&instrument=AIA&limit=100000"));

    private static List<(string Provider, string FileId)> Keys(JsonElement line) =>
        line.GetProperty("records").EnumerateArray().Select(r => (r[0].GetString()!, r[1].GetString()!)).Order().ToList();

    [Fact]
    public async Task Pyvo_SearchRunAsyncSubmitJobAndTables_MatchTheRestApi()
    {
        var run = await PythonClient.RunAsync("tap_pyvo.py", new Uri(f.Broker.BaseUrl, "tap").ToString(), Query);
        output.WriteLine(run.ToString());
        var rest = await RestAsync();
        Assert.Contains(rest, k => k.Provider == SoapFederationFixture.Tap);
        Assert.Contains(rest, k => k.Provider == SoapFederationFixture.Soap);

        foreach (var call in new[] { "search", "run_async", "submit_job" })
            RestSearch.AssertSameRecords(rest, Keys(run.Line("call", call)), "pyvo " + call);
        var search = run.Line("call", "search");
        Assert.False(search.GetProperty("overflow").GetBoolean());
        // Each provider's outcome reaches pyvo as an INFO of the result resource.
        var infos = search.GetProperty("infos").EnumerateArray().Select(i => (i[0].GetString(), i[1].GetString(), i[2].GetString())).ToList();
        Assert.Contains(infos, i => i is ("provider", SoapFederationFixture.Tap, _) && i.Item3!.StartsWith("ok:", StringComparison.Ordinal));
        var phases = run.Line("call", "submit_job").GetProperty("phases").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.Equal(["PENDING", "COMPLETED"], phases);
        // The deleted job is gone.
        using var gone = await f.Broker.Http.GetAsync(run.Line("call", "submit_job").GetProperty("job").GetString());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);

        var tables = run.Line("call", "tables");
        Assert.Superset(new HashSet<string> { "vso.records", "vso.providers", "ivoa.obscore", "TAP_SCHEMA.columns" },
            tables.GetProperty("names").EnumerateArray().Select(n => n.GetString()!).ToHashSet());
        Assert.Contains("fileid", tables.GetProperty("records_columns").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("m", tables.GetProperty("obscore_units").GetProperty("em_min").GetString());
    }

    [Fact]
    public async Task AstroqueryTapPlus_JobsTablesLoginAndLogout_MatchTheRestApi()
    {
        using var certificate = new LoopbackCertificate();
        await using var broker = await BrokerHost.StartAsync(f.ProvidersYaml, certificate.KestrelSettings(SoapFederationFixture.Settings));
        var http = broker.Urls.First(u => u.Scheme == "http");
        var https = broker.Urls.First(u => u.Scheme == "https");

        var run = await PythonClient.RunAsync("tap_astroquery.py", new Dictionary<string, string> { ["SSL_CERT_FILE"] = certificate.PemPath },
            new Uri(http, "tap").ToString(), https.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Query);
        output.WriteLine(run.ToString());
        var rest = await RestAsync();

        var tables = run.Line("call", "load_tables");
        Assert.Superset(new HashSet<string> { "vso.records", "ivoa.obscore", "vso.providers" },
            tables.GetProperty("names").EnumerateArray().Select(n => n.GetString()!).ToHashSet());
        Assert.Contains("fileid", tables.GetProperty("records_columns").EnumerateArray().Select(c => c.GetString()));
        Assert.Contains("access_url", tables.GetProperty("obscore_columns").EnumerateArray().Select(c => c.GetString()));
        foreach (var call in new[] { "launch_job", "launch_job_async", "login" })
            RestSearch.AssertSameRecords(rest, Keys(run.Line("call", call)), "TapPlus " + call);

        // Before login TapPlus sends no cookie: its jobs belong to no session and no listing shows them.
        var anonymous = run.Line("call", "launch_job_async");
        Assert.Equal("COMPLETED", anonymous.GetProperty("phase").GetString());
        Assert.Empty(anonymous.GetProperty("listed_before_login").EnumerateArray());
        // Logged in, the session owns the job and lists it; after logout the session has ended and lists nothing.
        var login = run.Line("call", "login");
        Assert.Equal([login.GetProperty("job").GetString()], login.GetProperty("listed").EnumerateArray().Select(j => j.GetString()));
        Assert.Empty(run.Line("call", "logout").GetProperty("listed").EnumerateArray());
    }
}
