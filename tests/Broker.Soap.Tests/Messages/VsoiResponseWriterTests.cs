using System.Text;
using System.Xml.Linq;
using Broker.Soap.Contracts;
using Broker.Soap.Envelope;
using Broker.Soap.Mapping;
using Broker.Soap.Messages;
using Broker.Soap.Tests.Support;

namespace Broker.Soap.Tests.Messages;

public sealed class VsoiResponseWriterTests
{
    private static QueryResponse SampleResponse() => new(
    [
        new ProviderQueryResponse
        {
            Provider = "fake", NoOfRecordsFound = 3, NoOfRecordsReturned = 2, Status = "OK",
            Records =
            [
                VsoiQueryMapper.ToBlock(FakeBroker.Record("fake", "f/1")),
                VsoiQueryMapper.ToBlock(FakeBroker.Record("fake", "f/2", wave: null, sizeKb: null) with { Detector = "C2", ThumbnailUrl = "http://t/1.png" }, withThumbnail: true),
            ],
        },
        new ProviderQueryResponse { Provider = "slow", NoOfRecordsFound = 0, NoOfRecordsReturned = 0, Status = "TIMEOUT", Error = "slow: no answer within 5 s" },
    ]);

    [Fact]
    public void QueryEnvelope_ValidatesAgainstOwnWsdlSchema()
    {
        var errors = WsdlSchema.ValidateBody(VsoiResponseWriter.QueryEnvelope(SampleResponse()));
        Assert.Empty(errors);
    }

    [Fact]
    public void QueryEnvelope_ChildrenAreUnqualifiedUnderQualifiedWrapper()
    {
        var content = SoapEnvelopeReader.Parse(VsoiResponseWriter.QueryEnvelope(SampleResponse()), SoapLimits.Default).Content;
        Assert.Equal(XName.Get("QueryResponse", VsoiNames.Namespace), content.Name);
        Assert.All(content.Descendants(), e => Assert.Equal("", e.Name.NamespaceName));
        Assert.Equal("body", content.Elements().Single().Name.LocalName);
    }

    [Fact]
    public void QueryEnvelope_EveryRecordHasNumericSizeAndAngstromUnit()
    {
        var content = SoapEnvelopeReader.Parse(VsoiResponseWriter.QueryEnvelope(SampleResponse()), SoapLimits.Default).Content;
        var records = content.Descendants("recorditem").ToList();
        Assert.Equal(2, records.Count);
        Assert.Equal(["2048", "-1"], records.Select(r => r.Element("size")!.Value));
        Assert.Equal("Angstrom", records[0].Element("wave")!.Element("waveunit")!.Value);
        Assert.Null(records[1].Element("wave"));
        Assert.Equal("20100101001000", records[0].Element("time")!.Element("start")!.Value);
        Assert.Null(records[1].Element("detector")); // not declared in the WSDL: never written
        Assert.Equal("http://t/1.png", records[1].Element("extra")!.Element("thumbnail")!.Element("lowres")!.Value);
    }

    [Fact]
    public void QueryEnvelope_HasNoWhitespaceBetweenElements()
    {
        var text = Encoding.UTF8.GetString(VsoiResponseWriter.QueryEnvelope(SampleResponse()));
        Assert.DoesNotMatch(@">\s+<", text);
        Assert.DoesNotContain("\n", text);
    }

    [Fact]
    public void QueryEnvelope_EmptyProviderStillHasRecordElement()
    {
        var content = SoapEnvelopeReader.Parse(VsoiResponseWriter.QueryEnvelope(SampleResponse()), SoapLimits.Default).Content;
        var slow = content.Descendants("provideritem").Single(p => p.Element("provider")!.Value == "slow");
        Assert.NotNull(slow.Element("record"));
        Assert.Equal("slow: no answer within 5 s", slow.Element("error")!.Value);
        Assert.Equal("1", slow.Element("version")!.Value);
    }

    [Fact]
    public void GetDataEnvelope_Status200HasGetDataItemMethodAndRequestedFileIds()
    {
        var answer = new GetDataAnswer(
        [
            new ProviderFileAnswer("fake", "200", "1 URL(s)", "URL-FILE", [new FileAnswer("F/1", "http://files.test/F/1"), new FileAnswer("f/2", null, "no such file")]),
            new ProviderFileAnswer("down", "504 no answer", "no answer", "URL-FILE", [new FileAnswer("d/1", null, "timeout")]),
        ]);
        var bytes = VsoiResponseWriter.GetDataEnvelope(answer, encodedModel: false, info: ["session=abc"]);
        Assert.Empty(WsdlSchema.ValidateBody(bytes));
        var items = SoapEnvelopeReader.Parse(bytes, SoapLimits.Default).Content.Descendants("getdataresponseitem").ToList();
        Assert.Equal("200", items[0].Element("status")!.Value);
        var data = Assert.Single(items[0].Element("getdataitem")!.Elements("dataitem"));
        Assert.Equal("F/1", data.Element("fileiditem")!.Element("fileid")!.Value);
        Assert.Equal("URL-FILE", items[0].Element("method")!.Element("methodtype")!.Value);
        Assert.StartsWith("504", items[1].Element("status")!.Value);
        Assert.Null(items[1].Element("getdataitem"));
        Assert.NotNull(items[1].Element("method"));
        Assert.Equal("session=abc", items[0].Element("info")!.Element("infoitem")!.Value);
    }

    [Fact]
    public void GetDataEnvelope_EncodedModel_DataItemsCarryUrlsAndNoStatusElement()
    {
        var answer = new GetDataAnswer(
        [
            new ProviderFileAnswer("fake", "200", null, "URL-FILE", [new FileAnswer("f/1", "http://files.test/f/1"), new FileAnswer("f/2", null, "no such file")]),
        ]);
        var bytes = VsoiResponseWriter.GetDataEnvelope(answer, encodedModel: true);
        var content = SoapEnvelopeReader.Parse(bytes, SoapLimits.Default).Content;
        Assert.Empty(content.Descendants("status"));
        var entries = content.Descendants("data").Single().Elements().ToList();
        Assert.All(entries, e => Assert.Equal("item", e.Name.LocalName));
        Assert.Equal(["f/1", "f/2"], entries.Select(e => e.Element("fileid")!.Value));
        Assert.Equal("http://files.test/f/1", entries[0].Element("url")!.Value);
        Assert.Equal("no such file", entries[1].Element("details")!.Value);
        Assert.DoesNotMatch(@">\s+<", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void RequestWriter_QueryAndGetData_ValidateAgainstOwnSchemaAndReadBack()
    {
        var query = new QueryRequest(new QueryRequestBlock
        {
            Time = new VsoTime("20100101000000", "20100101010000"), Instrument = "AIA", Detector = "x",
            Wave = new VsoWave("171", "171", "Angstrom"), Field = new VsoField(["thumbnail"]), PScale = "0.6",
        });
        var queryBytes = VsoiRequestWriter.QueryEnvelope(query);
        Assert.Empty(WsdlSchema.ValidateBody(queryBytes));
        var readBack = VsoiRequestReader.Read(SoapEnvelopeReader.Parse(queryBytes, SoapLimits.Default));
        Assert.Equal("0.6", readBack.Query!.Block.PScale);
        Assert.Equal(["thumbnail"], readBack.Query.Block.Field!.FieldItems);

        var getData = new VSOGetDataRequest(new GetDataRequest(new MethodItem(["URL"]), new Info { Email = "x", Required = "s1" },
            new DataContainer([new DataRequestItem("SDAC", ["a", "b"])])));
        var getDataBytes = VsoiRequestWriter.GetDataEnvelope(getData);
        Assert.Empty(WsdlSchema.ValidateBody(getDataBytes));
        Assert.Equal("s1", VsoiRequestReader.Read(SoapEnvelopeReader.Parse(getDataBytes, SoapLimits.Default)).InfoRequired);
    }

    [Fact]
    public void ResponseReader_ReadsWhatTheWriterWrote()
    {
        var bytes = VsoiResponseWriter.QueryEnvelope(SampleResponse());
        var read = VsoiResponseReader.ReadQueryResponse(SoapEnvelopeReader.Parse(bytes, SoapLimits.Default).Content);
        Assert.Equal(2, read.ProviderItems.Count);
        Assert.Equal(3, read.ProviderItems[0].NoOfRecordsFound);
        Assert.Equal("f/2", read.ProviderItems[0].Records[1].FileId);
        Assert.Equal(-1, read.ProviderItems[0].Records[1].Size);
    }
}
