using Broker.Core.Model;
using Broker.Core.Providers;
using Broker.Core.Search;
using static Broker.Core.Tests.Search.EngineHarness;

namespace Broker.Core.Tests.Search;

/// <summary>Statuses are claims and counts are honest: empty only when asked and zero, skipped with a reason, rejected records counted.</summary>
public sealed class HonestStatusTests
{
    private static SearchRequest Block(Func<QueryBlock, QueryBlock> with, int? limit = null) => new()
    {
        Query = NormalizedQuery.Single(with(new QueryBlock { Time = new TimeRange(T0, T0.AddDays(1)) })),
        Limit = limit,
    };

    [Fact]
    public async Task SearchAsync_AttributeNeitherFilteredNorCarried_IsSkippedWithTheReasonAndNotAsked()
    {
        var h = new EngineHarness(Yaml(Entry("obscore"), Entry("other")));
        h["obscore"].Capabilities = h["obscore"].Capabilities with
        {
            Filters = new HashSet<QueryAttribute> { QueryAttribute.Instrument },
            RecordFields = new HashSet<QueryAttribute> { QueryAttribute.Instrument },
            FilterGaps = new Dictionary<QueryAttribute, string> { [QueryAttribute.Detector] = "no detector column" },
        };
        h["other"].Behaviour = (_, _) => Task.FromResult(new ProviderAnswer([FakeAdapter.Record("other", "x", T0) with { Detector = "FSI" }]));

        var result = await h.Engine.SearchAsync(Block(b => b with { Detector = "FSI" }), default);

        var skipped = result.Providers.Single(p => p.ProviderId == "obscore");
        Assert.Equal(ProviderStatus.Skipped, skipped.Status);
        Assert.Equal("cannot filter on detector: no detector column", skipped.Message);
        Assert.Equal(0, h["obscore"].Calls);
    }

    [Fact]
    public async Task SearchAsync_ProviderClaimingAFilterButIgnoringIt_HasItsRecordsCheckedAndRejectionsCounted()
    {
        var h = new EngineHarness(Yaml(Entry("vsoi")));
        h["vsoi"].Capabilities = h["vsoi"].Capabilities with
        {
            Filters = new HashSet<QueryAttribute> { QueryAttribute.Source, QueryAttribute.Physobs, QueryAttribute.Level },
        };
        // The provider answers SDO/AIA intensity records whatever was asked; one record carries no physobs at all.
        h["vsoi"].Behaviour = (_, _) => Task.FromResult(new ProviderAnswer(
            Enumerable.Range(0, 6).Select(i => FakeAdapter.Record("vsoi", "f" + i, T0.AddHours(i), "AIA") with { Source = "SDO", Physobs = "intensity" })
                .Append(FakeAdapter.Record("vsoi", "unknown", T0) with { Source = "SOLO" }).ToList()));

        var result = await h.Engine.SearchAsync(Block(b => b with { Source = "SOLO", Physobs = "LOS_magnetic_field" }), default);

        var outcome = Assert.Single(result.Providers);
        // The record without physobs is trusted on what it cannot show (the provider applies physobs); the rest contradict.
        Assert.Equal(["unknown"], result.Records.Select(r => r.FileId));
        Assert.Equal(6, outcome.Rejected);
        Assert.Equal(1, outcome.Found);
        Assert.True(outcome.FoundExact);
    }

    [Fact]
    public async Task SearchAsync_PostCheckRunsBeforeTheLimit_LimitedSearchStillReturnsMatches()
    {
        var h = new EngineHarness(Yaml(Entry("p")));
        h["p"].Capabilities = h["p"].Capabilities with { Filters = new HashSet<QueryAttribute>() };
        h["p"].Behaviour = (_, _) => Task.FromResult(new ProviderAnswer(
            Enumerable.Range(0, 10).Select(i => FakeAdapter.Record("p", "f" + i, T0.AddMinutes(i), i % 2 == 0 ? "EUI" : "MAG")).ToList()));

        var result = await h.Engine.SearchAsync(Block(b => b with { Instrument = "EUI" }, limit: 3), default);

        Assert.Equal(3, result.Records.Count);
        Assert.All(result.Records, r => Assert.Equal("EUI", r.Instrument));
        Assert.Equal(5, result.Total);
        Assert.True(result.TotalExact);
        Assert.Equal(60, result.TruncatedPercent);
        Assert.Equal(5, result.Providers.Single().Rejected);
    }

    [Fact]
    public async Task SearchAsync_CutAnswerWithExactCount_TotalIsTheCount()
    {
        var h = new EngineHarness(Yaml(Entry("tap"), Entry("vsoi")));
        h["tap"].Behaviour = (_, _) => Task.FromResult(new ProviderAnswer(
            Enumerable.Range(0, 4).Select(i => FakeAdapter.Record("tap", "f" + i, T0.AddMinutes(i))).ToList(), true, 61_773) { TotalExact = true });
        h["vsoi"].Behaviour = (_, _) => Task.FromResult(new ProviderAnswer([FakeAdapter.Record("vsoi", "v", T0)], true, 9));

        var result = await h.Engine.SearchAsync(Request(), default);

        var tap = result.Providers.Single(p => p.ProviderId == "tap");
        Assert.Equal((61_773L, true), (tap.Found!.Value, tap.FoundExact));
        var vsoi = result.Providers.Single(p => p.ProviderId == "vsoi");
        Assert.Equal((9L, false), (vsoi.Found!.Value, vsoi.FoundExact));
        Assert.Equal(61_773 + 9, result.Total);
        Assert.False(result.TotalExact);
        Assert.Null(result.TruncatedPercent); // only from exact counts
    }

    [Fact]
    public async Task SearchAsync_FailedProvider_TotalIsALowerBound()
    {
        var h = new EngineHarness(Yaml(Entry("ok"), Entry("broken")));
        h["ok"].Behaviour = (_, _) => Task.FromResult(new ProviderAnswer([FakeAdapter.Record("ok", "a", T0)]));
        h["broken"].Behaviour = (_, _) => throw new ProviderException("unreadable answer");

        var result = await h.Engine.SearchAsync(Request(), default);

        Assert.Equal(1, result.Total);
        Assert.False(result.TotalExact);
        Assert.Equal(ProviderStatus.Error, result.Providers.Single(p => p.ProviderId == "broken").Status);
    }

    [Fact]
    public async Task SearchAsync_HealthCheckFailingDuringTheSearch_ProviderHasOneStatusLine()
    {
        // The DaCHS SOAR provider with a level filter was listed twice: planned while healthy, then also skipped
        // because its metadata check failed while the search was being planned.
        var h = new EngineHarness(Yaml(Entry("soar"), Entry("other")));
        var soar = h.Catalog.Current.All.Single(p => p.Id == "soar");
        h["soar"].CapabilitiesRead = () => soar.ObserveHealth("table soar.v_eui_sc_fits is missing");

        var result = await h.Engine.SearchAsync(Block(b => b with { Level = "1" }), default);

        Assert.Single(result.Providers, p => p.ProviderId == "soar");
        Assert.Single(result.Providers, p => p.ProviderId == "other");
    }
}
