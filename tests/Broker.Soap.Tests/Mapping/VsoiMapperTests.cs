using Broker.Core.Model;
using Broker.Core.Providers;
using Broker.Core.Search;
using Broker.Core.Validation;
using Broker.Soap.Contracts;
using Broker.Soap.Mapping;
using Broker.Soap.Tests.Support;

namespace Broker.Soap.Tests.Mapping;

public sealed class VsoiMapperTests
{
    private static readonly QueryNormalizer Normalizer = new(new QueryLimits());

    [Theory]
    [InlineData("171.0", "171.0", "Angstrom", 171, 171)]
    [InlineData("194.99999999999997", "195.0", "Angstrom", 194.99999999999997, 195)]
    [InlineData("1", "2", "nm", 10, 20)]
    [InlineData("1000000.0", "2000000.0", "kHz", 1498962290, 2997924580)]
    [InlineData("0.3", "30", "Ghz", 99930819.333, 9993081933.3)]
    public void ToInput_WaveUnitsAsClientsSendThem_NormalizeToAngstrom(string min, string max, string unit, double lo, double hi)
    {
        var block = new QueryRequestBlock { Time = new VsoTime("20100101000000", "20100101010000"), Wave = new VsoWave(min, max, unit), Instrument = "eit" };
        var query = Normalizer.Normalize([VsoiQueryMapper.ToInput(block)]);
        var wave = query.Blocks[0].Wave!;
        Assert.Equal(lo, wave.MinAngstrom, 1e-6 * lo);
        Assert.Equal(hi, wave.MaxAngstrom, 1e-6 * hi);
        Assert.Equal(new DateTimeOffset(2010, 1, 1, 1, 0, 0, TimeSpan.Zero), query.Blocks[0].Time.End);
    }

    [Fact]
    public void ToInput_MissingTime_FailsValidationWithFieldNames()
    {
        var ex = Assert.Throws<QueryValidationException>(() => Normalizer.Normalize([VsoiQueryMapper.ToInput(new QueryRequestBlock())]));
        Assert.Contains(ex.Errors, e => e.Field == "start");
        Assert.Contains(ex.Errors, e => e.Field == "end");
    }

    [Fact]
    public void ToResponse_OneItemPerProvider_SkippedFailedAndCutOnesSayWhyInError()
    {
        var records = new[] { FakeBroker.Record("a", "1"), FakeBroker.Record("a", "2") };
        var result = new SearchResult
        {
            QueryId = "q", CreatedAt = DateTimeOffset.UnixEpoch, Query = new NormalizedQuery([]), Records = records, Total = 2, Truncated = true,
            Providers =
            [
                new ProviderOutcome { ProviderId = "a", Status = ProviderStatus.Ok, RecordCount = 2, TotalAvailable = 50, Truncated = true },
                new ProviderOutcome { ProviderId = "b", Status = ProviderStatus.CircuitOpen, Message = "skipped: the circuit is open" },
                new ProviderOutcome { ProviderId = "c", Status = ProviderStatus.Skipped, Message = "instrument 'EIT' is not offered" },
            ],
        };
        var response = VsoiQueryMapper.ToResponse(result);
        Assert.Equal(["a", "b", "c"], response.ProviderItems.Select(p => p.Provider));
        Assert.Equal((50L, 2L), (response.ProviderItems[0].NoOfRecordsFound!.Value, response.ProviderItems[0].NoOfRecordsReturned!.Value));
        // sunpy prints every provideritem error as a warning: a cut answer, a failed and a skipped provider each say so.
        Assert.Equal("a: the answer was cut: 2 of 50 matching records returned; narrow the search to get the rest", response.ProviderItems[0].Error);
        Assert.Equal("CIRCUIT-OPEN", response.ProviderItems[1].Status);
        Assert.Equal("b: skipped: the circuit is open", response.ProviderItems[1].Error);
        Assert.Empty(response.ProviderItems[1].Records);
        Assert.Equal("SKIPPED", response.ProviderItems[2].Status);
        Assert.Equal("c: skipped: instrument 'EIT' is not offered", response.ProviderItems[2].Error);
    }

    [Fact]
    public void ToResponse_NothingAsked_StillOneProviderItem()
    {
        var result = new SearchResult
        {
            QueryId = "q", CreatedAt = DateTimeOffset.UnixEpoch, Query = new NormalizedQuery([]), Records = [], Providers = [], Total = 0, Truncated = false,
        };
        Assert.Single(VsoiQueryMapper.ToResponse(result).ProviderItems);
    }

    [Fact]
    public void ToFileGroups_JoinsItemsOfOneProviderAndDeduplicates()
    {
        var request = new GetDataRequest(null, null, new DataContainer(
        [
            new DataRequestItem("JSOC", ["aia__lev1:171:1", "aia__lev1:171:2"]),
            new DataRequestItem("jsoc", ["hmi__m_45s:1", "aia__lev1:171:1"]),
            new DataRequestItem("SDAC", ["/x"]),
        ]));
        var groups = VsoiGetDataMapper.ToFileGroups(request);
        Assert.Equal(["JSOC", "SDAC"], groups.Select(g => g.ProviderId));
        Assert.Equal(["aia__lev1:171:1", "aia__lev1:171:2", "hmi__m_45s:1"], groups[0].Files.Select(f => f.FileId));
    }

    [Fact]
    public void ChooseMethod_FirstUrlMethodOrNullWhenNoneIsUrl()
    {
        Assert.Equal("URL-FILE", VsoiGetDataMapper.ChooseMethod(new GetDataRequest(new MethodItem(["STAGING-ZIP", "URL-FILE", "URL"]), null, null)));
        Assert.Equal("URL", VsoiGetDataMapper.ChooseMethod(new GetDataRequest(null, null, null)));
        Assert.Null(VsoiGetDataMapper.ChooseMethod(new GetDataRequest(new MethodItem(["STAGING-ZIP"]), null, null)));
    }

    [Fact]
    public void ToAnswer_StatusesNeverSay300_FileIdsKeepRequestedSpelling()
    {
        var groups = new[]
        {
            new FileGroup("a", [new FileRequest("ID/1"), new FileRequest("x")]),
            new FileGroup("slow", [new FileRequest("s")]),
            new FileGroup("gone", [new FileRequest("g")]),
        };
        var results = new[]
        {
            new FileGroupResult("a", ProviderStatus.Ok, [new FileLocation("id/1", FileStatus.Ok, "http://u/1"), new FileLocation("x", FileStatus.Broken, "http://u/x")]),
            new FileGroupResult("slow", ProviderStatus.Timeout, [new FileLocation("s", FileStatus.Error, Detail: "no answer within 5 s")], "no answer within 5 s"),
            new FileGroupResult("gone", ProviderStatus.Ok, [new FileLocation("g", FileStatus.NotFound)]),
        };
        var answer = VsoiGetDataMapper.ToAnswer(groups, results, "URL-FILE");
        Assert.Equal(["a", "a", "slow", "gone"], answer.Providers.Select(p => p.Provider));
        Assert.Equal("200", answer.Providers[0].Status);
        Assert.Equal([new FileAnswer("ID/1", "http://u/1")], answer.Providers[0].Files);
        // Every file without a URL has its own non-200 item naming it (sunpy lists each in fetch()'s errors).
        Assert.StartsWith("502 x: ", answer.Providers[1].Status);
        Assert.StartsWith("504 s: no answer within 5 s", answer.Providers[2].Status);
        Assert.StartsWith("404 g: ", answer.Providers[3].Status);
        var response = answer.ToResponse();
        Assert.DoesNotContain(response.Items, i => i.Status!.StartsWith('3'));
        Assert.NotNull(response.Items[0].GetDataItem);
        Assert.All(response.Items.Skip(1), i => Assert.Null(i.GetDataItem));
    }
}
