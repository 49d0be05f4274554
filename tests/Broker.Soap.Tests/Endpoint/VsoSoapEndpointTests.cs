using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Broker.Core.Providers;
using Broker.Soap.Envelope;
using Broker.Soap.Tests.Support;

namespace Broker.Soap.Tests.Endpoint;

/// <summary>The server's SOAP door over real HTTP, with a real search engine over fake providers.</summary>
public sealed class VsoSoapEndpointTests
{
    private static FakeAdapter Eit() => new("fake", [FakeBroker.Record("fake", "f/1"), FakeBroker.Record("fake", "f/2")],
        new ProviderCapabilities { Providers = ["SDAC"], Instruments = ["EIT"] });

    private static async Task<HttpResponseMessage> PostAsync(SoapBroker server, string path, string body, string contentType = "text/xml; charset=utf-8")
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        return await server.Client.PostAsync(path, content);
    }

    private static async Task<XElement> ContentAsync(HttpResponseMessage response) =>
        SoapEnvelopeReader.Parse(await response.Content.ReadAsByteArrayAsync(), SoapLimits.Default).Content;

    [Fact]
    public async Task Post_ZeepQuery_AnswersRecordsThatValidate()
    {
        var eit = Eit();
        await using var server = await SoapBroker.StartAsync([eit]);
        using var response = await PostAsync(server, "soap/vsoi", Samples.ZeepQuery);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Empty(WsdlSchema.ValidateBody(bytes));
        var content = await ContentAsync(response);
        var provider = Assert.Single(content.Descendants("provideritem"));
        Assert.Equal("fake", provider.Element("provider")!.Value);
        Assert.Equal(["f/1", "f/2"], content.Descendants("fileid").Select(f => f.Value));
        Assert.Equal("eit", eit.LastBlock!.Instrument);
        Assert.Equal(171, eit.LastBlock.Wave!.MinAngstrom);
    }

    [Fact]
    public async Task Post_QueryForUnknownInstrument_AnswersErrorItemWithoutProviderNamingTheReason()
    {
        await using var server = await SoapBroker.StartAsync([Eit()]);
        using var response = await PostAsync(server, "soap/vsoi",
            Samples.ZeepQueryFor("<time><start>20100101000000</start><end>20100101010000</end></time><instrument>HMI</instrument>"));
        Assert.Contains("instrument 'HMI' is not offered", await AssertErrorItemAsync(response));
    }

    [Fact]
    public async Task Post_InvalidTimes_AnswersErrorItemWithValidationMessages()
    {
        await using var server = await SoapBroker.StartAsync([Eit()]);
        using var response = await PostAsync(server, "soap/vsoi",
            Samples.ZeepQueryFor("<time><start>yesterday</start><end>20100101010000</end></time>"));
        Assert.Contains("invalid query: start: 'yesterday' is not a time", await AssertErrorItemAsync(response));
    }

    /// <summary>
    /// A query that cannot run is answered as the VSO core does (sunpy prints it as a warning): HTTP 200, a valid
    /// QueryResponse whose one provideritem has an error and no provider. Returns the error text.
    /// </summary>
    private static async Task<string> AssertErrorItemAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Empty(WsdlSchema.ValidateBody(body));
        var item = Assert.Single(SoapEnvelopeReader.Parse(body, SoapLimits.Default).Content.Descendants("provideritem"));
        Assert.Null(item.Element("provider"));
        Assert.Empty(item.Descendants("recorditem"));
        return item.Element("error")!.Value;
    }

    [Fact]
    public async Task Post_ProviderFails_AnswersErrorTextNotFault()
    {
        var eit = Eit();
        eit.Failure = new ProviderException("archive offline");
        await using var server = await SoapBroker.StartAsync([eit]);
        using var response = await PostAsync(server, "soap/vsoi", Samples.ZeepQuery);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var item = Assert.Single((await ContentAsync(response)).Descendants("provideritem"));
        Assert.Equal("ERROR", item.Element("status")!.Value);
        Assert.Contains("archive offline", item.Element("error")!.Value);
        Assert.NotNull(item.Element("record"));
    }

    [Theory]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>", "DTD")]
    [InlineData("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><Query>", "malformed XML")]
    [InlineData("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><VSO:Nope xmlns:VSO=\"http://virtualsolar.org/VSO/VSOi\"/></soap:Body></soap:Envelope>", "unknown operation")]
    [InlineData("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"/>", "no soap:Body")]
    [InlineData("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><q:Query xmlns:q=\"urn:x\"/></soap:Body></soap:Envelope>", "namespace 'urn:x'")]
    public async Task Post_BadSoap_IsFault500WithClearMessage(string body, string expected)
    {
        await using var server = await SoapBroker.StartAsync([Eit()]);
        using var response = await PostAsync(server, "soap/vsoi", body);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains(expected, (await ContentAsync(response)).Element("faultstring")!.Value);
    }

    [Fact]
    public async Task Post_Oversize_IsFault()
    {
        await using var server = await SoapBroker.StartAsync([Eit()]);
        var huge = Samples.ZeepQueryFor("<time><start>20100101000000</start><end>20100101010000</end></time><info>" + new string('x', 9 * 1024 * 1024) + "</info>");
        // Refused before the body is read: a client that waits for 100-continue (however loaded the machine) reads the
        // Fault instead of writing into a connection the server closes after answering.
        using var client = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromMinutes(1) }) { BaseAddress = server.BaseUri };
        using var request = new HttpRequestMessage(HttpMethod.Post, "soap/vsoi") { Content = new StringContent(huge, Encoding.UTF8, "text/xml") };
        request.Headers.ExpectContinue = true;
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("larger than", (await ContentAsync(response)).Element("faultstring")!.Value);
    }

    [Theory]
    [InlineData("this is not xml at all", "text/xml")]
    [InlineData("{\"query\": 1}", "application/json")]
    public async Task Post_NotSoap_Is400WithAClientFault(string body, string contentType)
    {
        await using var server = await SoapBroker.StartAsync([Eit()]);
        using var response = await PostAsync(server, "soap/vsoi", body, contentType);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        var fault = await ContentAsync(response);
        Assert.EndsWith("Client", fault.Element("faultcode")!.Value);
        Assert.False(string.IsNullOrWhiteSpace(fault.Element("faultstring")!.Value));
    }

    [Theory]
    [InlineData("soap/vsoi")]
    [InlineData("cgi-bin/vsoi")]
    [InlineData("soap/vsoi_tabdelim")]
    public async Task Get_SoapEndpoint_Is411(string path)
    {
        await using var server = await SoapBroker.StartAsync([Eit()]);
        using var response = await server.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.LengthRequired, response.StatusCode);
    }

    [Fact]
    public async Task GetWsdl_AddressIsCallersHostOrConfiguredBase()
    {
        await using (var server = await SoapBroker.StartAsync([Eit()]))
        {
            var wsdl = await server.Client.GetStringAsync("soap/VSOi_rpc_literal.wsdl");
            Assert.Contains($"location=\"{server.BaseUri}soap/vsoi\"", wsdl);
            Assert.Equal(wsdl, await server.Client.GetStringAsync("soap/vsoi?wsdl"));
        }
        await using (var server = await SoapBroker.StartAsync([Eit()],
                         new Dictionary<string, string> { ["Broker:PublicBaseUrl"] = "https://vso.example.org/" }))
        {
            var wsdl = await server.Client.GetStringAsync("soap/VSOi_rpc_literal.wsdl");
            Assert.Contains("location=\"https://vso.example.org/soap/vsoi\"", wsdl);
        }
    }

    [Fact]
    public async Task Post_ZeepGetData_Answers200WithUrlsAndAnItemPerMissingFile()
    {
        await using var server = await SoapBroker.StartAsync([Eit()]);
        var body = Samples.ZeepGetData.Replace("<fileid>f/2</fileid>", "<fileid>f/2</fileid><fileid>nope</fileid>");
        using var response = await PostAsync(server, "cgi-bin/vsoi", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(WsdlSchema.ValidateBody(await response.Content.ReadAsByteArrayAsync()));
        var items = (await ContentAsync(response)).Descendants("getdataresponseitem").ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal("200", items[0].Element("status")!.Value);
        Assert.Equal([$"{server.FilesUri}files/f/1", $"{server.FilesUri}files/f/2"], items[0].Descendants("url").Select(u => u.Value));
        Assert.Equal("URL-FILE_Rice", items[0].Element("method")!.Element("methodtype")!.Value);
        // sunpy's fetch() lists every non-200 item in its errors: the missing file gets its own.
        Assert.StartsWith("404 nope: no such file", items[1].Element("status")!.Value);
        Assert.Contains("nope: no such file", items[1].Element("details")!.Value);
        Assert.Empty(items[1].Descendants("url"));
    }

    [Fact]
    public async Task Post_GetDataUnknownProvider_AnswersNon200StatusPerItem()
    {
        await using var server = await SoapBroker.StartAsync([Eit()]);
        using var response = await PostAsync(server, "soap/vsoi", Samples.ZeepGetData.Replace("<provider>fake</provider>", "<provider>MYSTERY</provider>"));
        var items = (await ContentAsync(response)).Descendants("getdataresponseitem").ToList();
        Assert.Equal(["f/1", "f/2"], items.Select(i => i.Element("status")!.Value.Split(' ')[1].TrimEnd(':')));
        Assert.All(items, item =>
        {
            Assert.StartsWith("404", item.Element("status")!.Value);
            Assert.Contains("unknown provider", item.Element("status")!.Value);
            Assert.NotNull(item.Element("method"));
        });
    }

    [Fact]
    public async Task Post_IdlQueryToTabdelim_AnswersFlatTable()
    {
        var eit = new FakeAdapter("fake", [FakeBroker.Record("fake", "f/1", wave: 1e8)]);
        await using var server = await SoapBroker.StartAsync([eit]);
        // IDL sends pixelscale nil unless the user sets it (a set one is refused: see the test below).
        using var response = await PostAsync(server, "cgi-bin/vsoi_tabdelim", Samples.IdlQuery.Replace("<pixelscale>2.6</pixelscale>", "<pixelscale xsi:nil=\"1\"/>"), "text/xml");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var table = Regex.Match(text, "<FlatTable( [^>]*)?>([^<]*)</FlatTable>").Groups[2].Value;
        var lines = table.Split("\r\n");
        Assert.Equal("fake", lines[0].Split('\t')[0]);
        Assert.Equal(23, lines[1].Split('\t').Length);
        // 0.3–30 GHz is ~1e8–1e10 Angstrom: the block reached the provider converted.
        Assert.InRange(eit.LastBlock!.Wave!.MinAngstrom, 0.99e8, 1.01e8);
    }

    [Fact]
    public async Task Post_IdlQueryWithPixelscaleAndExptime_AnswersErrorHeaderNamingBoth()
    {
        var eit = Eit();
        await using var server = await SoapBroker.StartAsync([eit]);
        using var response = await PostAsync(server, "soap/vsoi_tabdelim", Samples.IdlQuery.Replace("<exptime xsi:nil=\"1\"/>", "<exptime>2.9</exptime>"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var header = Regex.Match(await response.Content.ReadAsStringAsync(), "<FlatTable>([^<]*)</FlatTable>").Groups[1].Value.Split('\t');
        Assert.Equal(6, header.Length);
        Assert.Contains("pscale is not supported", header[5]);
        Assert.Contains("exptime is not supported", header[5]);
        Assert.Null(eit.LastBlock);
    }

    [Theory]
    [InlineData("<quicklook>1</quicklook>", "quicklook")]
    [InlineData("<pscale>0.6</pscale>", "pscale")]
    [InlineData("<percentd>90</percentd>", "percentd")]
    public async Task Post_ZeepQueryWithFilterNoProviderApplies_AnswersErrorNotIgnored(string element, string name)
    {
        var eit = Eit();
        await using var server = await SoapBroker.StartAsync([eit]);
        using var response = await PostAsync(server, "soap/vsoi",
            Samples.ZeepQueryFor("<time><start>20100101000000</start><end>20100101010000</end></time><instrument>EIT</instrument>" + element));
        Assert.Contains(name + " is not supported", await AssertErrorItemAsync(response));
        Assert.Null(eit.LastBlock);
    }

    [Theory]
    [InlineData("<quicklook>0</quicklook><dark>0</dark><eclipse>false</eclipse><pscale/>")]
    [InlineData("")]
    public async Task Post_ZeepQueryWithNeutralValues_Answers(string elements)
    {
        await using var server = await SoapBroker.StartAsync([Eit()]);
        using var response = await PostAsync(server, "soap/vsoi",
            Samples.ZeepQueryFor("<time><start>20100101000000</start><end>20100101010000</end></time><instrument>EIT</instrument>" + elements));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await ContentAsync(response)).Descendants("fileid").Count());
    }

    [Fact]
    public async Task Post_IdlQueryWithBadTime_AnswersFlatTableErrorHeader()
    {
        await using var server = await SoapBroker.StartAsync([Eit()]);
        using var response = await PostAsync(server, "soap/vsoi_tabdelim", Samples.IdlQuery.Replace("20100101010000", "20091231000000"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var table = Regex.Match(await response.Content.ReadAsStringAsync(), "<FlatTable>([^<]*)</FlatTable>").Groups[1].Value;
        var header = table.Split('\t');
        Assert.Equal(6, header.Length);
        Assert.Contains("is after end", header[5]);
    }

    /// <summary>
    /// IDL sends no cookie: its session travels in <c>info/required</c>. The broker's session peek adopts it when it names
    /// a live session (the answer's VSO-Session is that session), and never adopts an id the caller made up.
    /// </summary>
    [Fact]
    public async Task Post_IdlGetData_AnswersOldShapeAndAdoptsTheSessionInInfoRequired()
    {
        await using var server = await SoapBroker.StartAsync([Eit(), new FakeAdapter("other", [])]);
        var session = await server.NewSessionAsync();
        using var response = await PostAsync(server, "soap/vsoi_tabdelim", Samples.IdlGetDataArrays.Replace("sess-123", session));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var content = await ContentAsync(response);
        Assert.Empty(content.Descendants("status"));
        var entries = content.Descendants("data").SelectMany(d => d.Elements("item")).ToList();
        Assert.Equal(["f/1", "f/2", "o/1"], entries.Select(e => e.Element("fileid")!.Value));
        Assert.Equal($"{server.FilesUri}files/f/1", entries[0].Element("url")!.Value);
        Assert.Equal("", entries[2].Element("url")!.Value);
        Assert.Equal("no such file", entries[2].Element("details")!.Value);
        Assert.Equal(session, Assert.Single(response.Headers.GetValues("VSO-Session")));

        using var madeUp = await PostAsync(server, "soap/vsoi_tabdelim", Samples.IdlGetDataArrays);
        Assert.Equal(HttpStatusCode.OK, madeUp.StatusCode);
        Assert.DoesNotContain("sess-123", madeUp.Headers.TryGetValues("VSO-Session", out var ids) ? ids : []);
    }

    /// <summary>A session the caller presents (here the VSO-Session header of a session the broker issued) is echoed in GetData's info.</summary>
    [Fact]
    public async Task Post_SessionPresented_IsEchoedInGetDataInfo()
    {
        await using var server = await SoapBroker.StartAsync([Eit()]);
        var session = await server.NewSessionAsync();
        var content = new StringContent(Samples.ZeepGetData, Encoding.UTF8, "text/xml");
        content.Headers.ContentType!.CharSet = "utf-8";
        using var request = new HttpRequestMessage(HttpMethod.Post, "soap/vsoi") { Content = content };
        request.Headers.Add("VSO-Session", session);
        using var response = await server.Client.SendAsync(request);
        var item = Assert.Single((await ContentAsync(response)).Descendants("getdataresponseitem"));
        Assert.Equal("session=" + session, item.Element("info")!.Element("infoitem")!.Value);
    }
}
