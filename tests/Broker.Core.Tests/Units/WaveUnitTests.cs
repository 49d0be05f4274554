using Broker.Core.Units;

namespace Broker.Core.Tests.Units;

public class WaveUnitTests
{
    [Theory]
    [InlineData("Angstrom", 171.0, 171.0)]
    [InlineData("nm", 19.5, 195.0)]
    [InlineData("m", 1e-8, 100.0)]
    [InlineData("um", 1.0, 10_000.0)]
    [InlineData("cm", 1e-6, 100.0)]
    public void ToAngstrom_LengthUnits_ScalesExactly(string unit, double value, double expected)
    {
        Assert.True(WaveUnit.TryParse(unit, out var u));
        Assert.Equal(expected, u.ToAngstrom(value), 9);
    }

    [Fact]
    public void ToAngstrom_Hertz_UsesExactSpeedOfLight()
    {
        Assert.True(WaveUnit.TryParse("Hz", out var hz));
        Assert.Equal(2.99792458e18 / 3e15, hz.ToAngstrom(3e15), 12);
    }

    [Fact]
    public void ToAngstrom_Kev_UsesDefinedPlanckConstant()
    {
        Assert.True(WaveUnit.TryParse("keV", out var kev));
        // h c / e = 1.23984198e-6 eV m exactly from the SI definitions → 12.3984198 keV Å
        Assert.Equal(12.398419843320026, kev.ToAngstrom(1.0), 12);
    }

    [Fact]
    public void RangeToAngstrom_FrequencyRange_SwapsEnds()
    {
        Assert.True(WaveUnit.TryParse("GHz", out var ghz));
        var (min, max) = ghz.RangeToAngstrom(1, 2);
        Assert.Equal(2.99792458e18 / 2e9, min, 3);
        Assert.Equal(2.99792458e18 / 1e9, max, 3);
        Assert.True(min < max);
    }

    [Theory]
    [InlineData("Ghz")]
    [InlineData("kev")]
    [InlineData("ANGSTROM")]
    [InlineData("Å")]
    public void TryParse_SpellingsClientsSend_Accepted(string unit) => Assert.True(WaveUnit.TryParse(unit, out _));

    [Theory]
    [InlineData("furlong")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_UnknownUnit_Rejected(string? unit) => Assert.False(WaveUnit.TryParse(unit, out _));

    [Fact]
    public void FromAngstrom_IsInverseOfToAngstrom()
    {
        foreach (var name in WaveUnit.KnownNames)
        {
            Assert.True(WaveUnit.TryParse(name, out var u));
            Assert.Equal(42.5, u.ToAngstrom(u.FromAngstrom(42.5)), 9);
        }
    }
}
