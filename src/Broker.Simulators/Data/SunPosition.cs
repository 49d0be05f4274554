namespace Broker.Simulators.Data;

/// <summary>
/// The Sun's apparent geocentric right ascension and declination (degrees) at a UTC time, by the low-precision formula
/// of the Astronomical Almanac (good to about 0.01° between 1950 and 2050): what an ObsCore archive of solar images
/// gives as s_ra/s_dec for a full-disk image centred on the Sun.
/// </summary>
public static class SunPosition
{
    public static (double Ra, double Dec) At(DateTime utc)
    {
        var n = Julian.ToJd(utc) - 2451545.0;
        var meanLongitude = 280.460 + 0.9856474 * n;
        var g = Radians(357.528 + 0.9856003 * n);
        var lambda = Radians(meanLongitude + 1.915 * Math.Sin(g) + 0.020 * Math.Sin(2 * g));
        var epsilon = Radians(23.439 - 0.0000004 * n);
        var ra = Degrees(Math.Atan2(Math.Cos(epsilon) * Math.Sin(lambda), Math.Cos(lambda)));
        var dec = Degrees(Math.Asin(Math.Sin(epsilon) * Math.Sin(lambda)));
        return (ra < 0 ? ra + 360 : ra, dec);
    }

    private static double Radians(double deg) => deg * Math.PI / 180;

    private static double Degrees(double rad) => rad * 180 / Math.PI;
}
