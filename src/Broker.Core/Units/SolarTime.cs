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
    public static string ToIso(DateTimeOffset time)
    {
        Span<byte> utf8 = stackalloc byte[IsoLength];
        FormatIso(time, utf8);
        return System.Text.Encoding.ASCII.GetString(utf8);
    }

    /// <summary>Length of <see cref="ToIso"/>'s text: yyyy-MM-ddTHH:mm:ss.fffZ.</summary>
    public const int IsoLength = 24;

    /// <summary>
    /// <see cref="ToIso"/> as UTF-8 into <paramref name="utf8"/> (<see cref="IsoLength"/> bytes), digit by digit: a custom
    /// format string is parsed anew for every value, and two times per record made it a tenth of a search's JSON rendering.
    /// The fraction is truncated to the millisecond, as the format's <c>fff</c> does.
    /// </summary>
    public static void FormatIso(DateTimeOffset time, Span<byte> utf8)
    {
        var t = time.UtcDateTime;
        Digits(utf8[..4], t.Year);
        utf8[4] = (byte)'-';
        Digits(utf8.Slice(5, 2), t.Month);
        utf8[7] = (byte)'-';
        Digits(utf8.Slice(8, 2), t.Day);
        utf8[10] = (byte)'T';
        Digits(utf8.Slice(11, 2), t.Hour);
        utf8[13] = (byte)':';
        Digits(utf8.Slice(14, 2), t.Minute);
        utf8[16] = (byte)':';
        Digits(utf8.Slice(17, 2), t.Second);
        utf8[19] = (byte)'.';
        Digits(utf8.Slice(20, 3), t.Millisecond);
        utf8[23] = (byte)'Z';
    }

    /// <summary>The value's last digits, zero-padded to the span's length.</summary>
    private static void Digits(Span<byte> into, int value)
    {
        for (var i = into.Length - 1; i >= 0; i--, value /= 10) into[i] = (byte)('0' + value % 10);
    }

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
