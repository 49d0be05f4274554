using Broker.Core.Units;

namespace Broker.Core.Tests.Units;

/// <summary>Issue 9 item 5: one size rule — the same file has the same size whichever provider serves it.</summary>
public sealed class FileSizeTests
{
    [Theory]
    [InlineData(4_200_000d, 4102d)]  // exact bytes (SOAR filesize) ...
    [InlineData(2048d, 2d)]
    [InlineData(1d, 1d)]
    [InlineData(0d, 0d)]
    public void KbFromBytes_IsWholeKbRoundedUp(double bytes, double kb) => Assert.Equal(kb, FileSize.KbFromBytes(bytes));

    [Fact]
    public void SameFile_InBytesAndInRoundedUpKb_HasOneSize() =>
        Assert.Equal(FileSize.KbFromBytes(4_200_000), FileSize.Kb(4102)); // ... and the same file as a kB provider gives it

    [Theory]
    [InlineData(null)]
    [InlineData(-1d)]
    public void UnknownSize_IsNull(double? value)
    {
        Assert.Null(FileSize.KbFromBytes(value));
        Assert.Null(FileSize.Kb(value));
    }

    [Fact]
    public void FractionalKb_IsRoundedUp() => Assert.Equal(3d, FileSize.Kb(2.1));
}
