using System.Text;
using Broker.Core.Configuration;
using Broker.Core.Model;
using Broker.Core.Providers;
using Broker.Soap.Contracts;
using Broker.Soap.Envelope;
using Broker.Soap.Messages;
using Broker.Soap.Providers;
using Broker.Soap.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Broker.Soap.Tests.Providers;

/// <summary>The soap provider type against a tiny VSOi server on loopback.</summary>
public sealed class SoapProviderAdapterTests
{
    /// <summary>A fake legacy VSOi endpoint: records what it was sent, answers what the test says.</summary>
    private sealed class FakeVsoi
    {
        public Func<VsoiRequest, (int Status, byte[] Body)> Answer { get; set; } = _ => (200, VsoiResponseWriter.QueryEnvelope(new QueryResponse([])));
        public VsoiRequest? LastRequest { get; private set; }
        public string? LastAction { get; private set; }

        public async Task HandleAsync(HttpContext http)
        {
            LastAction = http.Request.Headers["SOAPAction"];
            LastRequest = VsoiRequestReader.Read(await SoapEnvelopeReader.ReadAsync(http.Request.Body, SoapLimits.Default, http.RequestAborted));
            var (status, body) = Answer(LastRequest);
            http.Response.StatusCode = status;
            http.Response.ContentType = VsoiNames.ContentType;
            await http.Response.Body.WriteAsync(body);
        }
    }

    private static async Task<(Loopback Server, FakeVsoi Fake, IProviderAdapter Adapter)> StartAsync(string options = "      providers: [SDAC]\n")
    {
        var fake = new FakeVsoi();
        var server = await Loopback.StartAsync(_ => { }, app => app.MapPost("/cgi-bin/vsoi", fake.HandleAsync));
        var yaml = $"providers:\n  legacy:\n    type: soap\n    url: {server.BaseUri}cgi-bin/vsoi\n    options:\n{options}";
        var config = ProvidersFile.Parse(yaml, "test.yaml").Single();
        var http = new HttpClient();
        var services = new ServiceCollection().AddSoapProviders().BuildServiceProvider();
        var factory = services.GetServices<IProviderFactory>().Single(f => f.Type == "soap");
        var adapter = factory.Create(config, new ProviderFactoryContext(_ => http, TimeProvider.System, NullLoggerFactory.Instance));
        config.Options.ReportUnknownKeys();
        config.Options.Errors.ThrowIfAny();
        return (server, fake, adapter);
    }

    private static QueryBlock Block(string? provider = null) => new()
    {
        Time = new TimeRange(new DateTimeOffset(2010, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2010, 1, 1, 1, 0, 0, TimeSpan.Zero)),
        Instrument = "EIT", Provider = provider, Wave = new WaveRange(171, 171),
    };

    private static byte[] Records(string provider, long found, params QueryResponseBlock[] records) => VsoiResponseWriter.QueryEnvelope(new QueryResponse(
        [new ProviderQueryResponse { Provider = provider, NoOfRecordsFound = found, NoOfRecordsReturned = records.Length, Records = records }]));

    private static QueryResponseBlock Rec(string fileId, string unit = "Angstrom", string min = "171", double size = 100) => new()
    {
        Provider = "SDAC", FileId = fileId, Instrument = "EIT", Source = "SOHO", Time = new VsoTime("20100101001000", "20100101001012"),
        Wave = new VsoWave(min, min, unit), Size = size,
    };

    [Fact]
    public async Task SearchAsync_SendsZeepShapedQueryAndMapsRecords()
    {
        var (server, fake, adapter) = await StartAsync();
        await using var _ = server;
        fake.Answer = _ => (200, Records("SDAC", 2, Rec("/a/1"), Rec("/a/2", "keV", "1", size: -1)));
        var answer = await adapter.SearchAsync(Block(), 100, CancellationToken.None);

        Assert.Equal("\"http://virtualsolar.org/VSO/VSOi#Query\"", fake.LastAction);
        var sent = fake.LastRequest!.Query!.Block;
        Assert.Equal(("20100101000000", "20100101010000", "EIT", "SDAC"), (sent.Time!.Start, sent.Time.End, sent.Instrument, sent.Provider));
        Assert.Equal(("171", "Angstrom"), (sent.Wave!.WaveMin, sent.Wave.WaveUnit));

        Assert.Equal(2, answer.Records.Count);
        var r = answer.Records[0];
        Assert.Equal(("legacy", "/a/1", 100.0), (r.Provider, r.FileId, r.SizeKb));
        Assert.Equal(new DateTimeOffset(2010, 1, 1, 0, 10, 0, TimeSpan.Zero), r.Start);
        Assert.Null(answer.Records[1].SizeKb);
        Assert.Equal(12.398, answer.Records[1].WaveMin!.Value, 3); // 1 keV in Angstrom
        Assert.False(answer.Truncated);
    }

    [Fact]
    public async Task SearchAsync_FoundMoreThanReturned_IsTruncatedWithTotal()
    {
        var (server, fake, adapter) = await StartAsync();
        await using var _ = server;
        fake.Answer = _ => (200, Records("SDAC", 31772, Rec("/a/1")));
        var answer = await adapter.SearchAsync(Block(), 100, CancellationToken.None);
        Assert.True(answer.Truncated);
        Assert.Equal(31772, answer.TotalAvailable);
    }

    [Fact]
    public async Task SearchAsync_ProviderErrorWithoutRecords_ThrowsProviderException()
    {
        var (server, fake, adapter) = await StartAsync();
        await using var _ = server;
        fake.Answer = _ => (200, VsoiResponseWriter.QueryEnvelope(new QueryResponse([new ProviderQueryResponse { Provider = "SDAC", Error = "database down" }])));
        var ex = await Assert.ThrowsAsync<ProviderException>(() => adapter.SearchAsync(Block(), 100, CancellationToken.None));
        Assert.Contains("SDAC: database down", ex.Message);
    }

    [Fact]
    public async Task SearchAsync_SoapFault_ThrowsWithFaultstring()
    {
        var (server, fake, adapter) = await StartAsync();
        await using var _ = server;
        fake.Answer = _ => (500, SoapEnvelopeWriter.WriteFault(new SoapFault(SoapFaultCode.Client, "VSO-V410 Unknown Data Provider")));
        var ex = await Assert.ThrowsAsync<ProviderException>(() => adapter.SearchAsync(Block(), 100, CancellationToken.None));
        Assert.Contains("VSO-V410 Unknown Data Provider", ex.Message);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task SearchAsync_Http503WithoutFault_IsTransient()
    {
        var (server, fake, adapter) = await StartAsync();
        await using var _ = server;
        fake.Answer = _ => (503, Encoding.UTF8.GetBytes("busy"));
        var ex = await Assert.ThrowsAsync<ProviderException>(() => adapter.SearchAsync(Block(), 100, CancellationToken.None));
        Assert.True(ex.IsTransient);
        Assert.Contains("HTTP 503", ex.Message);
    }

    [Fact]
    public async Task SearchAsync_GarbageAnswer_IsProviderError()
    {
        var (server, fake, adapter) = await StartAsync();
        await using var _ = server;
        fake.Answer = _ => (200, Encoding.UTF8.GetBytes("<html>oops"));
        var ex = await Assert.ThrowsAsync<ProviderException>(() => adapter.SearchAsync(Block(), 100, CancellationToken.None));
        Assert.Contains("not a SOAP envelope", ex.Message);
    }

    [Fact]
    public async Task ResolveFilesAsync_MapsUrlsAndMissingFiles()
    {
        var (server, fake, adapter) = await StartAsync();
        await using var _ = server;
        fake.Answer = _ => (200, VsoiResponseWriter.GetDataEnvelope(new VSOGetDataResponse(
        [
            new GetDataResponseItem
            {
                Provider = "SDAC", Status = "200",
                GetDataItem = new GetDataItem([new DataItem("SDAC", "http://sdac.test/a/1.fits", ["/a/1"])]),
                Method = new MethodItem(["URL-FILE"]),
            },
        ])));
        var files = await adapter.ResolveFilesAsync([new FileRequest("/a/1"), new FileRequest("/a/2")], CancellationToken.None);

        Assert.Equal("\"http://virtualsolar.org/VSO/VSOi#GetData\"", fake.LastAction);
        var sent = fake.LastRequest!.GetData!.Request;
        Assert.Equal(["URL-FILE", "URL"], sent.Method!.MethodTypes);
        Assert.Equal("vso-broker", sent.Info!.Email);
        Assert.Equal(("SDAC", 2), (sent.DataContainer!.Items[0].Provider, sent.DataContainer.Items[0].FileIds.Count));
        Assert.Equal(new FileLocation("/a/1", FileStatus.Ok, "http://sdac.test/a/1.fits"), files[0]);
        Assert.Equal(FileStatus.NotFound, files[1].Status);
    }

    [Fact]
    public async Task SeveralProviderNames_FileIdsCarryTheVsoProviderForGetData()
    {
        var (server, fake, adapter) = await StartAsync("      providers: [SDAC, NSO]\n      email: me@example.org\n");
        await using var _ = server;
        fake.Answer = r => r.Operation == VsoiOperation.Query
            ? (200, Records("NSO", 1, Rec("x:1") with { Provider = "NSO" }))
            : (200, VsoiResponseWriter.GetDataEnvelope(new VSOGetDataResponse([new GetDataResponseItem
                {
                    Provider = "NSO", Status = "200", GetDataItem = new GetDataItem([new DataItem("NSO", "http://nso.test/1", ["x:1"])]),
                    Method = new MethodItem(["URL"]),
                }])));
        Assert.Equal(["SDAC", "NSO"], adapter.Capabilities.Providers);
        var answer = await adapter.SearchAsync(Block("nso"), 10, CancellationToken.None);
        Assert.Equal("NSO", fake.LastRequest!.Query!.Block.Provider);
        Assert.Equal("NSO|x:1", answer.Records.Single().FileId);

        var files = await adapter.ResolveFilesAsync([new FileRequest("NSO|x:1")], CancellationToken.None);
        Assert.Equal(("NSO", "x:1"), (fake.LastRequest!.GetData!.Request.DataContainer!.Items[0].Provider, fake.LastRequest.GetData.Request.DataContainer.Items[0].FileIds[0]));
        Assert.Equal("me@example.org", fake.LastRequest.GetData.Request.Info!.Email);
        Assert.Equal(new FileLocation("NSO|x:1", FileStatus.Ok, "http://nso.test/1"), files.Single());
    }

    [Fact]
    public void Create_UnknownOptionKey_IsReported()
    {
        var yaml = "providers:\n  legacy:\n    type: soap\n    url: http://127.0.0.1:1/vsoi\n    options:\n      providerz: [SDAC]\n";
        var config = ProvidersFile.Parse(yaml, "test.yaml").Single();
        new SoapProviderFactory().Create(config, new ProviderFactoryContext(_ => new HttpClient(), TimeProvider.System, NullLoggerFactory.Instance));
        config.Options.ReportUnknownKeys();
        var ex = Assert.Throws<ConfigException>(() => config.Options.Errors.ThrowIfAny());
        Assert.Contains("providerz", ex.Message);
    }
}
