using Broker.Core.Validation;

namespace Broker.Core.Tests.Validation;

public class QueryNormalizerTests
{
    private readonly QueryNormalizer _normalizer = new(new QueryLimits { MaxTimeRange = TimeSpan.FromDays(31), MaxBlocks = 3 });

    private static QueryBlockInput Day => new() { Start = "2022-03-21T00:00:00Z", End = "2022-03-22T00:00:00Z" };

    [Fact]
    public void Normalize_Wavelength_InNanometres_IsHeldInAngstrom()
    {
        var q = _normalizer.Normalize([Day with { WaveMin = "17.1", WaveMax = "19.5", WaveUnit = "nm" }]);
        Assert.Equal(171, q.Blocks[0].Wave!.MinAngstrom, 9);
        Assert.Equal(195, q.Blocks[0].Wave!.MaxAngstrom, 9);
    }

    [Fact]
    public void Normalize_FrequencyRange_SwapsEnds()
    {
        var q = _normalizer.Normalize([Day with { WaveMin = "150", WaveMax = "450", WaveUnit = "MHz" }]);
        Assert.Equal(2.99792458e18 / 450e6, q.Blocks[0].Wave!.MinAngstrom, 3);
        Assert.Equal(2.99792458e18 / 150e6, q.Blocks[0].Wave!.MaxAngstrom, 3);
    }

    [Fact]
    public void Normalize_SingleWavelength_IsAPointRange()
    {
        var q = _normalizer.Normalize([Day with { WaveMin = "304" }]);
        Assert.Equal(304, q.Blocks[0].Wave!.MinAngstrom);
        Assert.Equal(304, q.Blocks[0].Wave!.MaxAngstrom);
    }

    [Fact]
    public void Normalize_StartAfterEnd_ReportsBothTimes()
    {
        var ex = Assert.Throws<QueryValidationException>(() => _normalizer.Normalize([Day with { Start = "2022-03-23" }]));
        Assert.Contains(ex.Errors, e => e.Field == "start" && e.Message.Contains("after end"));
    }

    [Fact]
    public void Normalize_UnknownUnit_ListsKnownUnits()
    {
        var ex = Assert.Throws<QueryValidationException>(() => _normalizer.Normalize([Day with { WaveMin = "1", WaveUnit = "parsec" }]));
        var error = Assert.Single(ex.Errors);
        Assert.Equal("waveunit", error.Field);
        Assert.Contains("Angstrom", error.Message);
    }

    [Fact]
    public void Normalize_EmptyQuery_IsRejected()
    {
        var ex = Assert.Throws<QueryValidationException>(() => _normalizer.Normalize([]));
        Assert.Contains("empty", ex.Message);
    }

    [Fact]
    public void Normalize_MissingTimes_ReportsEachField()
    {
        var ex = Assert.Throws<QueryValidationException>(() => _normalizer.Normalize([new QueryBlockInput { Instrument = "EUI" }]));
        Assert.Contains(ex.Errors, e => e.Field == "start");
        Assert.Contains(ex.Errors, e => e.Field == "end");
    }

    [Fact]
    public void Normalize_RangeTooWide_ReportsTheLimit()
    {
        var ex = Assert.Throws<QueryValidationException>(() => _normalizer.Normalize([Day with { End = "2022-06-01" }]));
        Assert.Contains("at most 31 days", ex.Message);
    }

    [Fact]
    public void Normalize_TooManyBlocks_IsRejected()
    {
        var ex = Assert.Throws<QueryValidationException>(() => _normalizer.Normalize([Day, Day, Day, Day]));
        Assert.Contains("at most 3", ex.Message);
    }

    [Fact]
    public void Normalize_SeveralBadBlocks_ReportsEveryErrorWithItsBlock()
    {
        var ex = Assert.Throws<QueryValidationException>(() => _normalizer.Normalize([Day with { Start = "nope" }, Day with { WaveMin = "x" }]));
        Assert.Contains(ex.Errors, e => e.Field == "blocks[0].start");
        Assert.Contains(ex.Errors, e => e.Field == "blocks[1].wavemin");
    }

    [Fact]
    public void Normalize_ValuesAreTrimmedAndEmptyIsUnset()
    {
        var q = _normalizer.Normalize([Day with { Instrument = "  EUI ", Detector = "   " }]);
        Assert.Equal("EUI", q.Blocks[0].Instrument);
        Assert.Null(q.Blocks[0].Detector);
    }

    [Fact]
    public void Normalize_ControlCharacters_AreRejected()
    {
        var ex = Assert.Throws<QueryValidationException>(() => _normalizer.Normalize([Day with { Instrument = "EUI\u0000" }]));
        Assert.Equal("instrument", Assert.Single(ex.Errors).Field);
    }

    [Fact]
    public void FromPairs_UnknownName_IsReported()
    {
        var unknown = new List<string>();
        var b = QueryBlockInput.FromPairs([new("start", "2022-01-01"), new("instrumnet", "EUI")], unknown);
        Assert.Equal("2022-01-01", b.Start);
        Assert.Equal(["instrumnet"], unknown);
    }
}
