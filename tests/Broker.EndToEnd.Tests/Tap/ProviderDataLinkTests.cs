using System.Xml.Linq;
using Broker.EndToEnd.Tests.Infrastructure;
using Broker.EndToEnd.Tests.Soap;
using Broker.Simulators;
using Broker.Simulators.Files;
using Xunit.Abstractions;

namespace Broker.EndToEnd.Tests.Tap;

/// <summary>A broker over an ObsCore provider whose records point to its own DataLink service (and some to their files).</summary>
public sealed class ProviderDataLinkFixture : IAsyncLifetime
{
    public const string Provider = "links";

    public RunningSimulators Sims { get; private set; } = null!;
    public BrokerHost Broker { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sims = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Providers = [new() { Name = Provider, Kind = SimulatorKind.ObsCore, Seed = 21, RecordCount = 20_000, StartYear = 2022, EndYear = 2022, DataLink = true }],
        });
        // The provider's failing DataLink ids are asked again and again by these tests: its circuit must not open.
        var yaml = $"providers:\n  {Provider}:\n    type: tap\n    url: {Sims.TapUrl(Provider)}\n" +
                   "    resilience: { timeout: 10s, retries: 0, breakerMinimumThroughput: 10000 }\n    options: { profile: obscore, mode: sync }\n";
        Broker = await BrokerHost.StartAsync(yaml, new Dictionary<string, string> { ["Sessions:RateLimitPerMinute"] = "0" });
    }

    public async Task DisposeAsync()
    {
        await Broker.DisposeAsync();
        await Sims.DisposeAsync();
    }
}

/// <summary>
/// The broker's DataLink {links} service over a provider with its own DataLink: the provider's rows under the broker's
/// id, its SODA cut-out descriptor passed through (the ID input filled from the provider's row), error rows for the
/// provider's failures, checked by STILTS datalinklint and votlint and read by pyvo.
/// </summary>
public sealed class ProviderDataLinkTests(ProviderDataLinkFixture f, ITestOutputHelper output) : IClassFixture<ProviderDataLinkFixture>
{
    private static readonly XNamespace Vot = "http://www.ivoa.net/xml/VOTable/v1.3";

    private HttpClient Http => f.Broker.Http;

    /// <summary>One record of each kind on 2022-03-21 (MJD 59659): (file id at the provider, broker id).</summary>
    private async Task<Dictionary<SimulatedLinks.Kind, (string FileId, string Id)>> OneOfEachKindAsync()
    {
        var csv = await Http.GetStringAsync("tap/sync?LANG=ADQL&FORMAT=csv&QUERY=" + Uri.EscapeDataString(
            "SELECT obs_id, obs_publisher_did FROM ivoa.obscore WHERE t_max >= 59659.0 AND t_min <= 59660.0 ORDER BY obs_id"));
        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToList();
        var kinds = rows.GroupBy(r => SimulatedLinks.KindOf(r[0])).ToDictionary(g => g.Key, g => (g.First()[0], g.First()[1]));
        Assert.Equal(4, kinds.Count);
        return kinds;
    }

    private string LinksUrl(IEnumerable<string> ids) =>
        new Uri(f.Broker.BaseUrl, "tap/links?" + string.Join("&", ids.Select(i => "ID=" + Uri.EscapeDataString(i)))).ToString();

    [Fact]
    public async Task Links_ForRecordsOfEachKind_CombineTheProvidersRowsDescriptorsAndFaults()
    {
        var kinds = await OneOfEachKindAsync();
        var links = kinds[SimulatedLinks.Kind.Links];
        var ids = kinds.Values.Select(k => k.Id).Append("ivo://vso.broker/records?links/no-such-file").ToList();

        var doc = XDocument.Parse(await Http.GetStringAsync(LinksUrl(ids)));
        var rows = Rows(doc);
        var sim = f.Sims.DataUrl(ProviderDataLinkFixture.Provider);
        var root = sim[..sim.LastIndexOf('/')];

        // A record with links: the provider's #this, #preview and #cutout, under the broker's id.
        var own = rows.Where(r => r.Id == links.Id).ToList();
        Assert.Equal(["#this", "#preview", "#cutout"], own.Select(r => r.Semantics));
        var self = own[0];
        Assert.Equal(sim + "?ID=" + Uri.EscapeDataString(links.FileId), self.AccessUrl);
        Assert.Equal(("application/fits", "5760"), (self.ContentType, self.ContentLength));
        Assert.Equal(root + "/preview?ID=" + Uri.EscapeDataString(links.FileId), own[1].AccessUrl);
        Assert.Equal("image/png", own[1].ContentType);
        var descriptor = Descriptor(doc, own[2].ServiceDef);
        Assert.Equal("adhoc:service", (string?)descriptor.Attribute("utype"));
        Assert.Equal(SimulatedLinks.SodaStandardId, Param(descriptor, "standardID")!.Attribute("value")!.Value);
        Assert.Equal(root + "/soda", Param(descriptor, "accessURL")!.Attribute("value")!.Value);
        var idInput = Param(descriptor.Element(Vot + "GROUP")!, "ID")!;
        // The provider's descriptor took the ID from its row (ref); the broker's table holds broker ids, so the value is filled in.
        Assert.Equal(links.FileId, idInput.Attribute("value")!.Value);
        Assert.Null(idInput.Attribute("ref"));

        // A record whose provider gives the file itself: #this as GetData resolves it.
        var file = kinds[SimulatedLinks.Kind.File];
        var fileRow = Assert.Single(rows, r => r.Id == file.Id);
        Assert.Equal(("#this", sim + "?ID=" + Uri.EscapeDataString(file.FileId), ""), (fileRow.Semantics, fileRow.AccessUrl, fileRow.ErrorMessage));

        // The provider's error row is kept; a provider DataLink that fails is the broker's error row.
        var errorRow = Assert.Single(rows, r => r.Id == kinds[SimulatedLinks.Kind.ErrorRow].Id);
        Assert.Equal("DefaultFault: the file is being reprocessed; try again tomorrow", errorRow.ErrorMessage);
        var failed = Assert.Single(rows, r => r.Id == kinds[SimulatedLinks.Kind.ServiceError].Id);
        Assert.Equal("DefaultFault: provider links: its DataLink service answered HTTP 500 Internal Server Error", failed.ErrorMessage);
        Assert.StartsWith("NotFoundFault:", Assert.Single(rows, r => r.Id == ids[^1]).ErrorMessage);

        // Every id asked has its rows, in the order asked.
        Assert.Equal(ids, rows.Select(r => r.Id).Distinct());

        // "Can VSO offer cut-outs?": vso.providers says what the provider's DataLink offered.
        var providers = await Http.GetStringAsync("tap/sync?LANG=ADQL&FORMAT=csv&QUERY=" + Uri.EscapeDataString(
            "SELECT provider, cutouts FROM vso.providers WHERE datalink_read_at IS NOT NULL"));
        Assert.Equal(["provider,cutouts", "links," + SimulatedLinks.SodaStandardId], providers.Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Links_OfRecordsInTheSession_CarryTheirFieldOfViewAsHintsAndCutoutBounds()
    {
        // The session's own search holds the records, with their sky coverage (s_ra, s_dec, s_fov, s_xel1/2).
        using var plain = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = f.Broker.BaseUrl };
        using var hello = await plain.GetAsync("api/v1/providers");
        plain.DefaultRequestHeaders.Add("VSO-Session", hello.Headers.GetValues("VSO-Session").Single());
        var csv = await plain.GetStringAsync("tap/sync?LANG=ADQL&FORMAT=csv&QUERY=" + Uri.EscapeDataString(
            "SELECT obs_id, obs_publisher_did, s_ra, s_dec, s_fov FROM ivoa.obscore WHERE t_max >= 59659.0 AND t_min <= 59660.0 AND s_ra IS NOT NULL ORDER BY obs_id"));
        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToList();
        var links = rows.First(r => SimulatedLinks.KindOf(r[0]) == SimulatedLinks.Kind.Links);
        var file = rows.First(r => SimulatedLinks.KindOf(r[0]) == SimulatedLinks.Kind.File);
        using var search = await plain.GetAsync("api/v1/search?start=2022-03-21T00:00:00Z&end=2022-03-22T00:00:00Z&limit=100000");
        search.EnsureSuccessStatusCode();

        var text = await plain.GetStringAsync("tap/links?ID=" + Uri.EscapeDataString(links[1]) + "&ID=" + Uri.EscapeDataString(file[1]));
        var doc = XDocument.Parse(text);

        double D(string s) => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
        var fov = $"field of view {D(links[4]).ToString("0.######", System.Globalization.CultureInfo.InvariantCulture)} deg (s_fov)";
        var self = Rows(doc).Where(r => r.Semantics == "#this").ToList();
        Assert.Equal([links[1], file[1]], self.Select(r => r.Id));
        Assert.All(self, r => Assert.Contains("4096 x 4096 pixels (s_xel1, s_xel2)", Description(doc, r)));
        Assert.Contains(fov, Description(doc, self[0]));
        var cutout = Assert.Single(Rows(doc), r => r.Semantics == "#cutout");
        var circle = Param(Descriptor(doc, cutout.ServiceDef).Element(Vot + "GROUP")!, "CIRCLE")!;
        var max = circle.Element(Vot + "VALUES")!.Element(Vot + "MAX")!.Attribute("value")!.Value.Split(' ').Select(D).ToArray();
        Assert.Equal([D(links[2]), D(links[3]), D(links[4]) / 2], max, (a, b) => Math.Abs(a - b) < 1e-6);

        // The hinted document (the session's: STILTS reads it from a file) is clean too.
        var path = Path.Combine(Path.GetTempPath(), $"links-{Guid.NewGuid():N}.vot");
        await File.WriteAllTextAsync(path, text);
        try
        {
            var lint = await Stilts.RunAsync(TimeSpan.FromMinutes(2), "datalinklint", "report=EW", "votable=" + path);
            Assert.True(Stilts.Totals(lint) == (0, 0), lint);
            var votlint = await Stilts.RunAsync(TimeSpan.FromMinutes(2), "votlint", "votable=" + path, "version=1.4");
            Assert.True(string.IsNullOrWhiteSpace(votlint), votlint);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Description(XDocument doc, Link link) =>
        doc.Descendants(Vot + "TR").Select(tr => tr.Elements(Vot + "TD").Select(td => td.Value).ToArray())
            .First(c => c[0] == link.Id && c[4] == link.Semantics)[5];

    [Fact]
    public async Task Links_OfEveryKind_AreCleanUnderDatalinklintAndVotlint()
    {
        var kinds = await OneOfEachKindAsync();
        var url = LinksUrl(kinds.Values.Select(k => k.Id));

        var lint = await Stilts.RunAsync(TimeSpan.FromMinutes(2), "datalinklint", "report=EW", "votable=" + url);
        output.WriteLine(lint);
        Assert.True(Stilts.Totals(lint) == (0, 0), lint);

        var file = Path.Combine(Path.GetTempPath(), $"links-{Guid.NewGuid():N}.vot");
        await File.WriteAllBytesAsync(file, await Http.GetByteArrayAsync(url));
        try
        {
            var votlint = await Stilts.RunAsync(TimeSpan.FromMinutes(2), "votlint", "votable=" + file, "version=1.4");
            Assert.True(string.IsNullOrWhiteSpace(votlint), votlint);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Pyvo_ReadsTheLinks_AndRunsTheCutoutThroughTheDescriptor()
    {
        var links = (await OneOfEachKindAsync())[SimulatedLinks.Kind.Links];

        var run = await PythonClient.RunAsync("datalink_pyvo.py", LinksUrl([links.Id]));
        output.WriteLine(run.ToString());

        var rows = run.Line("step", "links").GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["#this", "#preview", "#cutout"], rows.Select(r => r.GetProperty("semantics").GetString()));
        Assert.All(rows, r => Assert.Equal(links.Id, r.GetProperty("id").GetString()));
        var service = run.Line("step", "service");
        Assert.Equal(SimulatedLinks.SodaStandardId, service.GetProperty("params").GetProperty("standardID").GetString());
        Assert.Equal(links.FileId, service.GetProperty("inputs").GetProperty("ID").GetString());
        var process = run.Line("step", "process");
        Assert.Equal((5760, "SIMPLE"), (process.GetProperty("bytes").GetInt32(), process.GetProperty("fits").GetString()));
    }

    private sealed record Link(string Id, string AccessUrl, string ServiceDef, string ErrorMessage, string Semantics, string ContentType, string ContentLength);

    private static List<Link> Rows(XDocument doc) =>
        doc.Descendants(Vot + "TR").Select(tr => tr.Elements(Vot + "TD").Select(td => td.Value).ToArray())
            .Select(c => new Link(c[0], c[1], c[2], c[3], c[4], c[6], c[7])).ToList();

    private static XElement Descriptor(XDocument doc, string id) =>
        Assert.Single(doc.Root!.Elements(Vot + "RESOURCE"), r => (string?)r.Attribute("type") == "meta" && (string?)r.Attribute("ID") == id);

    private static XElement? Param(XElement parent, string name) =>
        parent.Elements(Vot + "PARAM").FirstOrDefault(p => (string?)p.Attribute("name") == name);
}
