using System.Globalization;

namespace Broker.Core.Units;

/// <summary>Time formats of the solar archives: VSO YYYYMMDDHHMMSS, ISO 8601, Julian Day, Modified Julian Day.</summary>
public static class SolarTime
{
    /// <summary>JD of the Unix epoch 1970-01-01T00:00Z.</summary>
    public const double UnixEpochJulianDay = 2440587.5;
    /// <summary>MJD = JD − 2400000.5.</summary>
    public const double ModifiedJulianDayOffset = 2400000.5;

    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm",
        "yyyy-MM-dd", "yyyy/MM/dd HH:mm:ss", "yyyy/MM/dd", "yyyyMMddHHmmss", "yyyyMMdd", "yyyyMMdd'T'HHmmss",
    ];

    /// <summary>Parses a UTC time in any format the broker accepts (ISO 8601 with or without zone, VSO compact, date only).</summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var t = text.Trim();
        if (t.EndsWith('Z') || t.EndsWith('z')) t = t[..^1] + "+00:00";
        return DateTimeOffset.TryParseExact(t, IsoFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    /// <summary>Formats as VSO's YYYYMMDDHHMMSS (UTC, fraction dropped).</summary>
    public static string ToVso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    /// <summary>Formats as ISO 8601 UTC with milliseconds and a Z.</summary>
    public static string ToIso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Converts a Julian Day (UTC) to a time, rounded to the millisecond (a double JD holds ~20 µs).</summary>
    public static DateTimeOffset FromJulianDay(double jd)
    {
        var ms = Math.Round((jd - UnixEpochJulianDay) * 86_400_000d);
        return DateTimeOffset.UnixEpoch.AddMilliseconds(ms);
    }

    /// <summary>Converts a Modified Julian Day to a time, rounded to the millisecond.</summary>
    public static DateTimeOffset FromModifiedJulianDay(double mjd) => FromJulianDay(mjd + ModifiedJulianDayOffset);

    /// <summary>Converts a time to a Julian Day.</summary>
    public static double ToJulianDay(DateTimeOffset time) =>
        (time - DateTimeOffset.UnixEpoch).TotalMilliseconds / 86_400_000d + UnixEpochJulianDay;

    /// <summary>Converts a time to a Modified Julian Day.</summary>
    public static double ToModifiedJulianDay(DateTimeOffset time) => ToJulianDay(time) - ModifiedJulianDayOffset;
}
