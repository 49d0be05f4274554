using Broker.EndToEnd.Tests.Infrastructure;
using Broker.Soap.Contracts;

namespace Broker.EndToEnd.Tests.Soap;

/// <summary>One search across a TAP simulator and a legacy SOAP simulator, through the REST door and the SOAP door.</summary>
[Collection(SoapFederationCollection.Name)]
public sealed class SoapFederatedSearchTests(SoapFederationFixture f)
{
    private static readonly string Window = $"start={RestSearch.Iso(SoapFederationFixture.Start)}&end={RestSearch.Iso(SoapFederationFixture.End)}";

    [Fact]
    public async Task RestSearch_TapAndSoapProviders_MergesRecordsOfBothInOneOrder()
    {
        var doc = await RestSearch.GetAsync(f.Broker.Http, Window + "&instrument=AIA");

        Assert.Equal("ok", Json.Status(doc, SoapFederationFixture.Tap));
        Assert.Equal("ok", Json.Status(doc, SoapFederationFixture.Soap));
        Assert.Equal("skipped", Json.Status(doc, "soar"));
        var records = Json.Records(doc);
        var byProvider = records.GroupBy(r => r.GetProperty("provider").GetString()!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Json.Providers(doc)[SoapFederationFixture.Tap].GetProperty("records").GetInt32(), byProvider[SoapFederationFixture.Tap]);
        Assert.Equal(Json.Providers(doc)[SoapFederationFixture.Soap].GetProperty("records").GetInt32(), byProvider[SoapFederationFixture.Soap]);
        Assert.All(records, r => Assert.Equal("AIA", r.GetProperty("instrument").GetString()));
        // The SOAP provider's answer is merged, not appended: records of both providers interleave in start order.
        var starts = records.Select(r => r.GetProperty("start").GetString()!).ToList();
        Assert.Equal(starts.Order(StringComparer.Ordinal), starts);
        var providers = records.Select(r => r.GetProperty("provider").GetString()).ToList();
        Assert.True(Enumerable.Range(1, providers.Count - 1).Count(i => providers[i] != providers[i - 1]) > 2, "records of the two providers interleave");
        // The legacy provider's records carry what VSOi gives: wave in Angstrom, sizes in kB.
        var legacy = records.First(r => r.GetProperty("provider").GetString() == SoapFederationFixture.Soap);
        Assert.Equal("Angstrom", legacy.GetProperty("waveUnit").GetString());
        Assert.True(legacy.GetProperty("sizeKb").GetDouble() > 1000);
    }

    [Fact]
    public async Task SoapQuery_TapAndSoapProviders_ReturnsTheMergedRecordsOfTheRestDoor()
    {
        var rest = await RestSearch.GetAsync(f.Broker.Http, Window + "&instrument=AIA");
        var block = new QueryRequestBlock { Time = new VsoTime("20220321000000", "20220322000000"), Instrument = "AIA" };

        var soap = await SoapDoor.QueryAsync(f.Broker.Http, block);

        RestSearch.AssertSameRecords(RestSearch.Keys(rest), SoapDoor.Keys(soap), "SOAP door vs REST door");
        var items = soap.ProviderItems.ToDictionary(i => i.Provider!);
        Assert.Equal([SoapFederationFixture.Soap, SoapFederationFixture.Tap, "soar"], items.Keys.Order());
        // SOAR holds no AIA: it has an item saying it was skipped and why (sunpy prints it as a warning).
        Assert.Equal("SKIPPED", items["soar"].Status);
        Assert.StartsWith("soar: skipped: instrument 'AIA' is not offered", items["soar"].Error);
        items.Remove("soar");
        Assert.All(items.Values, i => Assert.Equal("OK", i.Status));
        Assert.All(items.Values, i => Assert.Null(i.Error));
        Assert.All(items.Values, i => Assert.Equal(i.Records.Count, i.NoOfRecordsReturned));
        Assert.All(items.Values, i => Assert.True(i.Records.Count > 0));
    }

    [Fact]
    public async Task SoapGetData_RecordsOfBothProviders_UrlsServeTheSimulatorsFiles()
    {
        var soap = await SoapDoor.QueryAsync(f.Broker.Http, new QueryRequestBlock { Time = new VsoTime("20220321000000", "20220321060000"), Instrument = "HMI" });
        var wanted = soap.ProviderItems.Where(i => i.Records.Count > 0)
            .Select(i => new DataRequestItem(i.Provider!, i.Records.Take(3).Select(r => r.FileId!).ToList())).ToList();
        Assert.Equal(2, wanted.Count);

        var answer = await SoapDoor.GetDataAsync(f.Broker.Http, wanted);

        Assert.Equal(wanted.Count, answer.Items.Count);
        foreach (var item in answer.Items)
        {
            Assert.StartsWith("200", item.Status);
            var asked = wanted.Single(w => w.Provider == item.Provider).FileIds;
            var data = item.GetDataItem!.Items;
            Assert.Equal(asked.Order(), data.SelectMany(d => d.FileIds).Order());
            foreach (var d in data)
                Assert.Equal(f.Sims.FileContent(item.Provider!, d.FileIds[0]), await f.Broker.Http.GetByteArrayAsync(d.Url));
        }
    }
}
