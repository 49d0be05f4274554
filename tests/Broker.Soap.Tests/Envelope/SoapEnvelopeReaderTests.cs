using System.Text;
using Broker.Soap.Envelope;
using Broker.Soap.Messages;
using Broker.Soap.Tests.Support;

namespace Broker.Soap.Tests.Envelope;

public sealed class SoapEnvelopeReaderTests
{
    private static VsoiRequest Read(string xml, SoapLimits? limits = null) =>
        VsoiRequestReader.Read(SoapEnvelopeReader.Parse(Encoding.UTF8.GetBytes(xml), limits ?? SoapLimits.Default));

    private static SoapFaultException Fault(string xml, SoapLimits? limits = null) => Assert.Throws<SoapFaultException>(() => Read(xml, limits));

    [Fact]
    public void Read_ZeepQueryVerbatim_ReadsBlock()
    {
        var request = Read(Samples.ZeepQuery);
        Assert.Equal(VsoiOperation.Query, request.Operation);
        var block = request.Query!.Block;
        Assert.Equal("20100101000000", block.Time!.Start);
        Assert.Equal("20100101010000", block.Time.End);
        Assert.Null(block.Time.Near);
        Assert.Equal("SDAC", block.Provider);
        Assert.Equal("eit", block.Instrument);
        Assert.Equal(("171.0", "171.0", "Angstrom"), (block.Wave!.WaveMin, block.Wave.WaveMax, block.Wave.WaveUnit));
        Assert.Null(request.Query.Version);
    }

    [Fact]
    public void Read_IdlQuery_ReadsDefaultNamespaceUnwrappedNilAndPixelscale()
    {
        var request = Read(Samples.IdlQuery);
        var block = request.Query!.Block;
        Assert.Equal("20100101000000", block.Time!.Start);
        Assert.Null(block.Time.Near);
        Assert.Null(block.Extent);
        Assert.Null(block.Provider);
        Assert.Equal("EIT", block.Instrument);
        Assert.Equal(("0.3", "30", "Ghz", null), (block.Wave!.WaveMin, block.Wave.WaveMax, block.Wave.WaveUnit, block.Wave.WaveType));
        Assert.Equal("2.6", block.PScale);
        Assert.Equal("0", block.Sample);
        Assert.Equal("0", block.Extras["dark"]);
        Assert.False(block.Extras.ContainsKey("exptime"));
        Assert.Equal("0.600000", request.Query.Version);
    }

    [Fact]
    public void Read_ZeepGetData_ReadsMethodsInfoAndFileIds()
    {
        var request = Read(Samples.ZeepGetData);
        Assert.Equal(VsoiOperation.GetData, request.Operation);
        Assert.False(request.EncodedModel);
        var r = request.GetData!.Request;
        Assert.Equal(7, r.Method!.MethodTypes.Count);
        Assert.Equal("URL-FILE_Rice", r.Method.MethodTypes[0]);
        Assert.Equal("sunpy", r.Info!.Email);
        var item = Assert.Single(r.DataContainer!.Items);
        Assert.Equal("fake", item.Provider);
        Assert.Equal(["f/1", "f/2"], item.FileIds);
        Assert.Null(request.InfoRequired);
    }

    [Fact]
    public void Read_IdlEncodedGetDataWithArrays_ReadsEveryProviderAndRequired()
    {
        var request = Read(Samples.IdlGetDataArrays);
        Assert.True(request.EncodedModel);
        var r = request.GetData!.Request;
        Assert.Equal(["URL-FILE", "URL"], r.Method!.MethodTypes);
        Assert.Equal(2, r.DataContainer!.Items.Count);
        Assert.Equal(["f/1", "f/2"], r.DataContainer.Items[0].FileIds);
        Assert.Equal("other", r.DataContainer.Items[1].Provider);
        Assert.Null(r.Info!.Email);
        Assert.Equal("sess-123", request.InfoRequired);
        Assert.Equal("0.600000", request.GetData.Version);
    }

    [Fact]
    public void Read_IdlEncodedGetDataSingleEntry_ReadsPlainDataElement()
    {
        var request = Read(Samples.IdlGetDataSingle);
        Assert.True(request.EncodedModel);
        var item = Assert.Single(request.GetData!.Request.DataContainer!.Items);
        Assert.Equal(("fake", "f/1"), (item.Provider, Assert.Single(item.FileIds)));
        Assert.Null(request.InfoRequired);
    }

    [Fact]
    public void Read_ExternalEntity_IsClientFaultAboutDtd()
    {
        var xml = "<?xml version=\"1.0\"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>" +
                  Samples.ZeepQueryFor("<time><start>&xxe;</start><end>20100101010000</end></time>");
        var ex = Fault(xml);
        Assert.Equal(SoapFaultCode.Client, ex.Fault.Code);
        Assert.False(ex.IsNotSoap);
        Assert.Contains("DTD", ex.Fault.Message);
    }

    [Fact]
    public void Read_BillionLaughs_IsClientFaultAboutDtd()
    {
        var sb = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (var i = 1; i <= 9; i++)
            sb.Append($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat(i == 1 ? "&lol;" : $"&lol{i - 1};", 10))}\">");
        sb.Append("]><lolz>&lol9;</lolz>");
        var ex = Fault(sb.ToString());
        Assert.Contains("DTD", ex.Fault.Message);
    }

    [Fact]
    public void Read_DoctypeHiddenAfterWhitespaceInLowerCase_IsRejected()
    {
        var ex = Fault("  <!doctype x [<!ENTITY a 'b'>]><x>&a;</x>");
        Assert.Equal(SoapFaultCode.Client, ex.Fault.Code);
    }

    [Fact]
    public void Read_OperationInWrongNamespace_IsClientFault()
    {
        var ex = Fault(Samples.Envelope("<x:Query xmlns:x=\"urn:other\"><body/></x:Query>"));
        Assert.Contains("namespace 'urn:other'", ex.Fault.Message);
    }

    [Fact]
    public void Read_EnvelopeInWrongNamespace_IsClientFault()
    {
        var ex = Fault("<e:Envelope xmlns:e=\"urn:not-soap\"><e:Body><Query/></e:Body></e:Envelope>");
        Assert.Contains("wrong envelope namespace", ex.Fault.Message);
    }

    [Fact]
    public void Read_Soap12Envelope_IsClientFaultNamingSoap11()
    {
        var ex = Fault("<e:Envelope xmlns:e=\"http://www.w3.org/2003/05/soap-envelope\"><e:Body><Query/></e:Body></e:Envelope>");
        Assert.Contains("SOAP 1.2", ex.Fault.Message);
    }

    [Fact]
    public void Read_UnknownOperation_IsClientFault()
    {
        var ex = Fault(Samples.Envelope("<VSO:Search><body/></VSO:Search>"));
        Assert.Contains("unknown operation 'Search'", ex.Fault.Message);
    }

    [Fact]
    public void Read_MissingBody_IsClientFault()
    {
        var ex = Fault("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Header/></soap:Envelope>");
        Assert.Contains("no soap:Body", ex.Fault.Message);
    }

    [Fact]
    public void Read_EmptyBody_IsClientFault()
    {
        var ex = Fault(Samples.Envelope(""));
        Assert.Contains("soap:Body is empty", ex.Fault.Message);
    }

    [Fact]
    public void Read_QueryWithoutBlock_IsClientFault()
    {
        var ex = Fault(Samples.Envelope("<VSO:Query><body/></VSO:Query>"));
        Assert.Contains("no block", ex.Fault.Message);
    }

    [Fact]
    public void Read_GetDataWithoutFiles_IsClientFault()
    {
        var ex = Fault(Samples.Envelope("<VSO:GetData><body><request><info><email>x</email></info></request></body></VSO:GetData>"));
        Assert.Contains("names no files", ex.Fault.Message);
    }

    [Fact]
    public void Read_Oversize_IsClientFault()
    {
        var ex = Fault(Samples.ZeepQuery, new SoapLimits { MaxRequestBytes = 100 });
        Assert.Contains("larger than 100 bytes", ex.Fault.Message);
    }

    [Fact]
    public async Task ReadBytesAsync_StreamLongerThanLimit_StopsWithClientFault()
    {
        using var stream = new MemoryStream(new byte[1_000_000]);
        var ex = await Assert.ThrowsAsync<SoapFaultException>(() =>
            SoapEnvelopeReader.ReadBytesAsync(stream, new SoapLimits { MaxRequestBytes = 50_000 }, CancellationToken.None));
        Assert.Contains("larger than 50000", ex.Fault.Message);
    }

    [Fact]
    public void Read_TooDeep_IsClientFault()
    {
        var deep = string.Concat(Enumerable.Repeat("<a>", 100)) + string.Concat(Enumerable.Repeat("</a>", 100));
        var ex = Fault(Samples.Envelope("<VSO:Query><body><block>" + deep + "</block></body></VSO:Query>"));
        Assert.Contains("deeper than", ex.Fault.Message);
    }

    [Fact]
    public void Read_NotXml_IsNotSoap()
    {
        var ex = Fault("GET / HTTP/1.1 this is not xml");
        Assert.True(ex.IsNotSoap);
    }

    [Fact]
    public void Read_MalformedXml_IsClientFaultWithPosition()
    {
        var ex = Fault("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><Query>");
        Assert.False(ex.IsNotSoap);
        Assert.StartsWith("malformed XML", ex.Fault.Message);
    }

    [Fact]
    public void Read_AnyPrefixAndUnqualifiedOperation_IsAccepted()
    {
        var xml = "<S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\"><S:Body><Query><body><block>" +
                  "<time><start>20100101000000</start><end>20100102000000</end></time></block></body></Query></S:Body></S:Envelope>";
        Assert.Equal("20100102000000", Read(xml).Query!.Block.Time!.End);
    }

    [Fact]
    public void Read_Fault_ReadsCodeStringAndDetail()
    {
        var bytes = SoapEnvelopeWriter.WriteFault(new SoapFault(SoapFaultCode.Client, "VSO-V410 Unknown Data Provider", "more"));
        var envelope = SoapEnvelopeReader.Parse(bytes, SoapLimits.Default);
        Assert.Equal(new SoapFault(SoapFaultCode.Client, "VSO-V410 Unknown Data Provider", "more"), envelope.Fault);
    }
}
