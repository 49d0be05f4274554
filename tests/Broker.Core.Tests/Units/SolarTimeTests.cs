using Broker.Core.Units;

namespace Broker.Core.Tests.Units;

public class SolarTimeTests
{
    private static readonly DateTimeOffset NewYear2022 = new(2022, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void FromJulianDay_KnownEpoch_IsNewYear2022() => Assert.Equal(NewYear2022, SolarTime.FromJulianDay(2459580.5));

    [Fact]
    public void FromModifiedJulianDay_KnownEpoch_IsNewYear2022() => Assert.Equal(NewYear2022, SolarTime.FromModifiedJulianDay(59580));

    [Fact]
    public void FromJulianDay_HalfDay_IsNoon() =>
        Assert.Equal(NewYear2022.AddHours(12), SolarTime.FromJulianDay(2459581.0));

    [Fact]
    public void ToJulianDay_RoundTripsToTheMillisecond()
    {
        var t = new DateTimeOffset(2023, 7, 14, 13, 37, 42, 123, TimeSpan.Zero);
        Assert.Equal(t, SolarTime.FromJulianDay(SolarTime.ToJulianDay(t)));
        Assert.Equal(t, SolarTime.FromModifiedJulianDay(SolarTime.ToModifiedJulianDay(t)));
    }

    [Theory]
    [InlineData("20220321000000")]
    [InlineData("2022-03-21T00:00:00Z")]
    [InlineData("2022-03-21T00:00:00")]
    [InlineData("2022-03-21 00:00:00.0")]
    [InlineData("2022-03-21")]
    [InlineData("2022-03-21T01:00:00+01:00")]
    public void TryParse_AcceptedFormats_AllMeanTheSameInstant(string text)
    {
        Assert.True(SolarTime.TryParse(text, out var t));
        Assert.Equal(new DateTimeOffset(2022, 3, 21, 0, 0, 0, TimeSpan.Zero), t);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2022-13-01")]
    [InlineData("20221301000000")]
    public void TryParse_Garbage_Rejected(string text) => Assert.False(SolarTime.TryParse(text, out _));

    [Fact]
    public void ToVso_DropsFraction() =>
        Assert.Equal("20220321010203", SolarTime.ToVso(new DateTimeOffset(2022, 3, 21, 1, 2, 3, 999, TimeSpan.Zero)));

    [Theory]
    [InlineData("2022-03-21T01:02:03.0456789+00:00", "2022-03-21T01:02:03.045Z")] // the fraction is cut, not rounded
    [InlineData("2022-03-21T23:59:59.9999999-05:00", "2022-03-22T04:59:59.999Z")] // in UTC
    [InlineData("0987-01-02T03:04:05+00:00", "0987-01-02T03:04:05.000Z")] // four-digit year
    [InlineData("9999-12-31T23:59:59.999+00:00", "9999-12-31T23:59:59.999Z")]
    public void ToIso_MillisecondsAndZ_AsTheCustomFormatWrites(string time, string expected)
    {
        var t = DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, SolarTime.ToIso(t));
        Assert.Equal(t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture), SolarTime.ToIso(t));
        Span<byte> utf8 = stackalloc byte[SolarTime.IsoLength];
        SolarTime.FormatIso(t, utf8);
        Assert.Equal(expected, System.Text.Encoding.ASCII.GetString(utf8));
    }
}
