using System.Net;
using System.Text;
using System.Xml.Linq;

namespace Broker.Simulators.Tests.Soap;

public sealed class VsoiFixture : IAsyncLifetime
{
    public RunningSimulators Running { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public async Task InitializeAsync() => Running = await SimulatorHost.StartAsync(new SimulatorOptions
    {
        Providers = [new SimulatedProviderOptions { Name = "sdac", Kind = SimulatorKind.Vsoi, Seed = 9, RecordCount = 5_000 }],
    });

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Running.DisposeAsync();
    }

    public async Task<(HttpStatusCode Status, XDocument Body)> PostAsync(string action, string body)
    {
        var envelope = "<soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:VSO=\"http://virtualsolar.org/VSO/VSOi\">" +
            "<soap-env:Body>" + body + "</soap-env:Body></soap-env:Envelope>";
        using var content = new StringContent(envelope, Encoding.UTF8, "text/xml");
        content.Headers.Add("SOAPAction", $"\"http://virtualsolar.org/VSO/VSOi#{action}\"");
        var response = await Http.PostAsync(Running.BaseUrl("sdac"), content);
        return (response.StatusCode, XDocument.Parse(await response.Content.ReadAsStringAsync()));
    }
}

public sealed class VsoiEndpointTests(VsoiFixture sim) : IClassFixture<VsoiFixture>
{
    private const string Query171 =
        "<VSO:Query><body><block><time><start>20220301000000</start><end>20220310000000</end></time>" +
        "<instrument>aia</instrument><wave><wavemin>171.0</wavemin><wavemax>171.0</wavemax><waveunit>Angstrom</waveunit></wave>" +
        "</block></body></VSO:Query>";

    [Fact]
    public async Task Query_TimeInstrumentWave_ReturnsOnlyMatchingRecords()
    {
        var before = sim.Running.Calls("sdac").SoapQueries;
        var (status, doc) = await sim.PostAsync("Query", Query171);
        var records = doc.Descendants("recorditem").ToList();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotEmpty(records);
        Assert.All(records, r =>
        {
            Assert.Equal("AIA", r.Element("instrument")!.Value);
            Assert.InRange(double.Parse(r.Element("wave")!.Element("wavemin")!.Value, System.Globalization.CultureInfo.InvariantCulture), 160, 171);
            Assert.InRange(string.CompareOrdinal(r.Element("time")!.Element("start")!.Value, "20220310000000"), int.MinValue, 0);
        });
        Assert.Equal(records.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), doc.Descendants("no_of_records_returned").Single().Value);
        Assert.Equal(before + 1, sim.Running.Calls("sdac").SoapQueries);
    }

    [Fact]
    public async Task GetData_KnownAndUnknownIds_UrlsOnlyForKnownOnes()
    {
        var (_, query) = await sim.PostAsync("Query", Query171);
        var fileId = query.Descendants("fileid").First().Value;
        var body = "<VSO:GetData><body><request><method><methodtype>URL-FILE</methodtype></method><info><email>a@b</email></info>" +
            "<datacontainer><datarequestitem><provider>SDAC</provider><fileiditem><fileid>" + System.Security.SecurityElement.Escape(fileId) +
            "</fileid><fileid>nope</fileid></fileiditem></datarequestitem></datacontainer></request></body></VSO:GetData>";

        var (status, doc) = await sim.PostAsync("GetData", body);
        var urls = doc.Descendants("url").Select(u => u.Value).ToList();

        Assert.Equal(HttpStatusCode.OK, status);
        var url = Assert.Single(urls);
        Assert.Equal(sim.Running.FileContent("sdac", fileId), await sim.Http.GetByteArrayAsync(url));
    }

    [Fact]
    public async Task Query_BadTime_ReturnsSoapFault()
    {
        var (status, doc) = await sim.PostAsync("Query", "<VSO:Query><body><block><time><start>yesterday</start><end>20220101000000</end></time></block></body></VSO:Query>");

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Contains("YYYYMMDDHHMMSS", doc.Descendants("faultstring").Single().Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_WithFault_Returns500()
    {
        sim.Running.SetFault("sdac", new FaultSpec { AlwaysFail = true });
        try
        {
            var response = await sim.Http.PostAsync(sim.Running.BaseUrl("sdac"), new StringContent(Query171));

            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        }
        finally
        {
            sim.Running.SetFault("sdac", FaultSpec.None);
        }
    }
}
