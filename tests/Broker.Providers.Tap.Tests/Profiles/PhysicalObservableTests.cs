using Broker.Providers.Tap.Profiles;

namespace Broker.Providers.Tap.Tests.Profiles;

public class PhysicalObservableTests
{
    [Theory]
    [InlineData("phot.flux.density;em.UV.10-50nm", "intensity")]
    [InlineData("phot.count", "intensity")]
    [InlineData("phys.magField;pos.eq", "VECTOR_magnetic_field")]
    [InlineData("phys.magField", "LOS_magnetic_field")]
    [InlineData("phys.veloc;pos.bodyrc", "LOS_velocity")]
    [InlineData("phys.polarization.stokes", "Stokes_parameters")]
    [InlineData("spect.dopplerVeloc#spect.line", "spectrum")]
    [InlineData("phys.flux;phys.particle", "particle_flux")]
    [InlineData("meta.id", null)]
    [InlineData(null, null)]
    public void FromUcd_KnownObservables(string? ucd, string? expected) => Assert.Equal(expected, PhysicalObservable.FromUcd(ucd));

    [Theory]
    [InlineData("eui-fsi174-image", "EUI", "intensity")]
    [InlineData("phi-hrt-blos", "PHI", "LOS_magnetic_field")]
    [InlineData("phi-hrt-bmag", "PHI", "VECTOR_magnetic_field")]
    [InlineData("phi-fdt-vlos", "PHI", "LOS_velocity")]
    [InlineData("mag-rtn-normal", "MAG", "VECTOR_magnetic_field")]
    [InlineData("epd-het-asun-rates", "EPD", "particle_flux")]
    [InlineData("spice-n-ras", "SPICE", "spectrum")]
    [InlineData("unknown", "XYZ", null)]
    public void FromSoarDescriptor_ByDescriptorThenInstrument(string descriptor, string instrument, string? expected) =>
        Assert.Equal(expected, PhysicalObservable.FromSoarDescriptor(descriptor, instrument));

    [Fact]
    public void FromUcd_OneUcdAfterAnother_EachGetsItsOwnPhysobs()
    {
        // The last answer is remembered (UCDs repeat row after row): a different UCD must not get it.
        foreach (var (ucd, expected) in new[] { ("phys.magField", "LOS_magnetic_field"), ("phys.magField", "LOS_magnetic_field"),
                     ("phot.count", "intensity"), ("phys.magField;pos.eq", "VECTOR_magnetic_field"), ("meta.id", null), ("phot.count", "intensity") })
            Assert.Equal(expected, PhysicalObservable.FromUcd(ucd));
    }
}
