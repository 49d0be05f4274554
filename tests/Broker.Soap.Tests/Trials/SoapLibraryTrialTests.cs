using System.Net;
using Broker.Core.Providers;
using System.ServiceModel;
using System.ServiceModel.Channels;
using System.Text;
using System.Xml.Linq;
using System.Xml.Serialization;
using Broker.Soap.Tests.Support;
using Broker.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SoapCore;
using Xunit.Abstractions;

namespace Broker.Soap.Tests.Trials;

/// <summary>
/// The time-boxed library trial of issue 11 (README, dependency notes, SOAP): the VSOi Query operation hosted by
/// SoapCore 1.2.1.18 and called through System.ServiceModel.Http 10.1.0, each fed the real clients' envelopes.
/// Every assertion is a wire difference found in the trial; if a library changes so that one no longer holds,
/// the test fails and the decision in the README should be revisited.
/// </summary>
public sealed class SoapLibraryTrialTests(ITestOutputHelper output)
{
    private const string Vsoi = "http://virtualsolar.org/VSO/VSOi";
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    private static readonly XNamespace Env = "http://schemas.xmlsoap.org/soap/envelope/";

    private static async Task<Loopback> StartSoapCoreAsync() => await Loopback.StartAsync(
        services => { services.AddSoapCore(); services.AddSingleton<TrialVsoiService>(); },
        // WebApplication is both builder kinds; SoapCore's middleware form is the one its README shows.
        app => ((IApplicationBuilder)app).UseSoapEndpoint<TrialVsoiService>("/soapcore/vsoi", new SoapEncoderOptions(), SoapSerializer.XmlSerializer));

    private static Task<SoapBroker> StartBrokerDoorAsync() => SoapBroker.StartAsync(
        [new FakeAdapter("fake", [FakeBroker.Record("fake", "f/1"), FakeBroker.Record("fake", "f/2")],
            new ProviderCapabilities { Providers = ["SDAC"], Instruments = ["EIT"] })]);

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient client, string path, string envelope)
    {
        var content = new StringContent(envelope, Encoding.UTF8, "text/xml");
        content.Headers.Add("SOAPAction", "\"http://virtualsolar.org/VSO/VSOi#Query\""); // as zeep sends it (WSDL soapAction)
        using var response = await client.PostAsync(path, content);
        var body = await response.Content.ReadAsStringAsync();
        output.WriteLine($"{path}: {(int)response.StatusCode}\n{body}");
        return (response.StatusCode, body);
    }

    private static XElement Answer(string body) => XDocument.Parse(body).Root!.Element(Env + "Body")!.Elements().Single();

    [Fact]
    public async Task SoapCore_GeneratedWsdl_IsDocumentLiteralWithoutTheVsoiServiceAndPorts()
    {
        await using var server = await StartSoapCoreAsync();
        var wsdl = XDocument.Parse(await server.Client.GetStringAsync("soapcore/vsoi?wsdl"));
        XNamespace w = "http://schemas.xmlsoap.org/wsdl/", soap = "http://schemas.xmlsoap.org/wsdl/soap/";
        // XmlSerializerFormat(Style = Rpc) is ignored: SunPy's VSOClient binds VSOiService/nsoVSOi of an rpc binding.
        Assert.Equal("document", wsdl.Descendants(soap + "operation").Single().Attribute("style")!.Value);
        Assert.DoesNotContain(wsdl.Descendants(w + "service"), s => s.Attribute("name")!.Value == "VSOiService");
        Assert.DoesNotContain(wsdl.Descendants(w + "port"), p => p.Attribute("name")!.Value == "nsoVSOi");
    }

    [Fact]
    public async Task SoapCore_ZeepEnvelope_BindsTheBlockButQualifiesTheBodyAccessor()
    {
        await using var soapCore = await StartSoapCoreAsync();
        var (status, body) = await PostAsync(soapCore.Client, "soapcore/vsoi", Samples.ZeepQuery);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("eit", soapCore.Services.GetRequiredService<TrialVsoiService>().LastBlock?.Instrument);
        var answer = Answer(body);
        // rpc/literal (VSOi's WSDL, the broker's door): the part accessor <body> is unqualified.
        // SoapCore puts it in the operation's namespace, so it is a different element on the wire.
        Assert.NotNull(answer.Element(XNamespace.Get(Vsoi) + "body"));
        Assert.Null(answer.Element("body"));
        Assert.DoesNotContain(answer.Descendants(), e => e.Attribute(Xsi + "type") is not null);

        await using var door = await StartBrokerDoorAsync();
        var (_, doorBody) = await PostAsync(door.Client, "soap/vsoi", Samples.ZeepQuery);
        Assert.NotNull(Answer(doorBody).Element("body"));
    }

    [Fact]
    public async Task SoapCore_IdlEnvelope_LosesTheBlockAndStillAnswers()
    {
        await using var server = await StartSoapCoreAsync();
        var (status, body) = await PostAsync(server.Client, "soapcore/vsoi", Samples.IdlQuery);
        // IDL sends <Query><block> without the <body> part accessor: the parameter binds as null and SoapCore
        // calls the operation anyway, so the caller would get an unfiltered answer instead of its query's.
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(server.Services.GetRequiredService<TrialVsoiService>().Called);
        Assert.Null(server.Services.GetRequiredService<TrialVsoiService>().LastBlock);
    }

    [Fact]
    public async Task SoapCore_EnvelopeWithDtd_IsAnsweredNotFaulted()
    {
        await using var server = await StartSoapCoreAsync();
        var (status, body) = await PostAsync(server.Client, "soapcore/vsoi",
            "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]>" + Samples.ZeepQuery.Trim());
        // The broker's door faults on any DTD before reading (VsoSoapEndpointTests, SoapEnvelopeReaderTests).
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("QueryResponse", Answer(body).Name.LocalName);
    }

    [Fact]
    public async Task SoapCore_MalformedEnvelope_IsClientFaultWithStatus400AndTheParsersText()
    {
        await using var server = await StartSoapCoreAsync();
        var (status, body) = await PostAsync(server.Client, "soapcore/vsoi", "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><Query>");
        // The broker's door: HTTP 500 (SOAP 1.1 section 6.2) and "malformed XML: ..." (VsoSoapEndpointTests.Post_BadSoap_IsFault500WithClearMessage).
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var fault = Answer(body);
        Assert.Equal("Fault", fault.Name.LocalName);
        Assert.EndsWith(":Client", fault.Element("faultcode")!.Value);
        Assert.StartsWith("Unexpected end of file", fault.Element("faultstring")!.Value);
    }

    [Fact]
    public async Task Zeep_WithTheBrokersWsdl_ReadsSoapCoresQueryAnswer()
    {
        await using var door = await StartBrokerDoorAsync();
        await using var soapCore = await StartSoapCoreAsync();
        const string script = """
            import sys, zeep
            client = zeep.Client(sys.argv[1])
            service = client.create_service("{http://virtualsolar.org/VSO/VSOi}VSOiBinding", sys.argv[2])
            items = service.Query(body={"block": {"time": {"start": "20100101000000", "end": "20100101010000"}, "instrument": "EIT"}})
            print("ITEMS", repr(items))
            """;
        var run = await PythonScript.RunAsync("-c", [script, new Uri(door.BaseUri, "soap/VSOi_rpc_literal.wsdl").ToString(),
            new Uri(soapCore.BaseUri, "soapcore/vsoi").ToString()]);
        output.WriteLine(run.ToString());
        // zeep (Debian python3-zeep) sends rpc/literal from the broker's WSDL and tolerates SoapCore's qualified <body>.
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("'fileid': 'f/1'", run.Stdout);
        Assert.Equal("EIT", soapCore.Services.GetRequiredService<TrialVsoiService>().LastBlock?.Instrument);
    }

    [Fact]
    public async Task Wcf_RpcLiteralContract_ReadsTheBrokerDoorsAnswer()
    {
        await using var door = await StartBrokerDoorAsync();
        var factory = new ChannelFactory<ITrialVsoiPort>(new BasicHttpBinding(), new EndpointAddress(new Uri(door.BaseUri, "soap/vsoi")));
        var port = factory.CreateChannel();
        var answer = await port.QueryAsync(new QueryRequest { Block = new QueryBlock { Time = new TimeRange { Start = "20100101000000", End = "20100101010000" }, Instrument = "EIT" } });
        ((IClientChannel)port).Close();
        factory.Close();
        var item = Assert.Single(answer.Items!);
        Assert.Equal("fake", item.Provider);
        Assert.Equal(2, item.Found);
        Assert.Equal(["f/1", "f/2"], item.Record!.Select(r => r.FileId));
    }

    [Fact]
    public async Task Wcf_ProviderAnswerWithDtd_IsRefused()
    {
        const string answer = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"fake\">]>" +
            "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><VSO:QueryResponse xmlns:VSO=\"http://virtualsolar.org/VSO/VSOi\">" +
            "<body><provideritem><version>1</version><provider>&a;</provider><no_of_records_found>0</no_of_records_found></provideritem></body>" +
            "</VSO:QueryResponse></soap:Body></soap:Envelope>";
        await using var provider = await Loopback.StartAsync(_ => { },
            app => app.MapPost("/vsoi", () => Microsoft.AspNetCore.Http.Results.Text(answer, "text/xml; charset=utf-8")));
        var factory = new ChannelFactory<ITrialVsoiPort>(new BasicHttpBinding(), new EndpointAddress(new Uri(provider.BaseUri, "vsoi")));
        var port = factory.CreateChannel();
        // WCF's XmlDictionaryReader refuses any DOCTYPE, as the hand-written client's reader does.
        var error = await Assert.ThrowsAsync<ProtocolException>(() => port.QueryAsync(new QueryRequest()));
        Assert.IsType<System.Xml.XmlException>(error.InnerException);
        ((IClientChannel)port).Abort();
        factory.Abort();
    }
}

[ServiceContract(Namespace = "http://virtualsolar.org/VSO/VSOi", Name = "VSOiPort")]
[XmlSerializerFormat(Style = OperationFormatStyle.Rpc, Use = OperationFormatUse.Literal)]
public interface ITrialVsoiPort
{
    [OperationContract(Action = "", ReplyAction = "*")]
    [return: MessageParameter(Name = "body")]
    Task<QueryResponse> QueryAsync([MessageParameter(Name = "body")] QueryRequest body);
}

public sealed class TrialVsoiService : ITrialVsoiPort
{
    public bool Called { get; private set; }
    public QueryBlock? LastBlock { get; private set; }

    public Task<QueryResponse> QueryAsync(QueryRequest body)
    {
        Called = true;
        LastBlock = body?.Block;
        return Task.FromResult(new QueryResponse
        {
            Items = [new ProviderQueryResponse { Version = 1, Provider = "fake", Found = 1,
                Record = [new RecordItem { Provider = "fake", FileId = "f/1", Size = 2048 }] }],
        });
    }
}

public sealed class QueryRequest { [XmlElement("block", Namespace = "")] public QueryBlock? Block { get; set; } }
public sealed class QueryBlock
{
    [XmlElement("time", Namespace = "")] public TimeRange? Time { get; set; }
    [XmlElement("provider", Namespace = "")] public string? Provider { get; set; }
    [XmlElement("instrument", Namespace = "")] public string? Instrument { get; set; }
}
public sealed class TimeRange
{
    [XmlElement("start", Namespace = "")] public string? Start { get; set; }
    [XmlElement("end", Namespace = "")] public string? End { get; set; }
}
public sealed class QueryResponse { [XmlElement("provideritem", Namespace = "")] public ProviderQueryResponse[]? Items { get; set; } }
public sealed class ProviderQueryResponse
{
    [XmlElement("version", Namespace = "")] public float Version { get; set; }
    [XmlElement("provider", Namespace = "")] public string? Provider { get; set; }
    [XmlElement("no_of_records_found", Namespace = "")] public int Found { get; set; }
    [XmlArray("record", Namespace = ""), XmlArrayItem("recorditem", Namespace = "")] public RecordItem[]? Record { get; set; }
}
public sealed class RecordItem
{
    [XmlElement("provider", Namespace = "")] public string? Provider { get; set; }
    [XmlElement("fileid", Namespace = "")] public string? FileId { get; set; }
    [XmlElement("size", Namespace = "")] public double Size { get; set; }
}
