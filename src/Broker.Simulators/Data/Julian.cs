namespace Broker.Simulators.Data;

/// <summary>Julian and modified Julian day conversions (UTC, no leap-second bookkeeping).</summary>
public static class Julian
{
    private static readonly DateTime UnixEpoch = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Julian day of a UTC time.</summary>
    public static double ToJd(DateTime utc) => (utc - UnixEpoch).TotalDays + 2440587.5;

    /// <summary>Modified Julian day of a UTC time.</summary>
    public static double ToMjd(DateTime utc) => (utc - UnixEpoch).TotalDays + 40587.0;

    /// <summary>UTC time of a modified Julian day.</summary>
    public static DateTime FromMjd(double mjd) => UnixEpoch.AddDays(mjd - 40587.0);
}
