using System.Globalization;

namespace Broker.VoTable;

/// <summary>DALI timestamp parsing and formatting (<c>yyyy-MM-ddTHH:mm:ss[.fff][Z]</c>, space separator accepted).</summary>
internal static class Timestamps
{
    public const string Format = "yyyy-MM-ddTHH:mm:ss.fff";

    public static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Local => value.ToUniversalTime(),
        DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
        _ => value,
    };

    public static string ToText(DateTime value) => ToUtc(value).ToString(Format, CultureInfo.InvariantCulture);

    public static bool TryParse(ReadOnlySpan<char> s, out DateTime value)
    {
        value = default;
        s = s.Trim();
        if (s.Length < 10 || s[4] != '-' || s[7] != '-') return false;
        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)) return false;
        int hour = 0, minute = 0, second = 0;
        long ticks = 0;
        var offsetMinutes = 0;
        var i = 10;
        if (i < s.Length && (s[i] == 'T' || s[i] == ' '))
        {
            i++;
            if (!Digits(s, i, 2, out hour) || i + 5 > s.Length || s[i + 2] != ':' || !Digits(s, i + 3, 2, out minute)) return false;
            i += 5;
            if (i < s.Length && s[i] == ':')
            {
                if (!Digits(s, i + 1, 2, out second)) return false;
                i += 3;
                if (i < s.Length && s[i] == '.')
                {
                    i++;
                    var start = i;
                    long scale = TimeSpan.TicksPerSecond;
                    while (i < s.Length && char.IsAsciiDigit(s[i]))
                    {
                        scale /= 10;
                        ticks += (s[i] - '0') * scale;
                        i++;
                    }
                    if (i == start) return false;
                }
            }
            if (i < s.Length && (s[i] == 'Z' || s[i] == 'z')) i++;
            else if (i < s.Length && (s[i] == '+' || s[i] == '-'))
            {
                var sign = s[i] == '-' ? -1 : 1;
                if (!Digits(s, i + 1, 2, out var oh)) return false;
                var j = i + 3;
                if (j < s.Length && s[j] == ':') j++;
                if (!Digits(s, j, 2, out var om)) return false;
                offsetMinutes = sign * (oh * 60 + om);
                i = j + 2;
            }
        }
        if (i != s.Length) return false;
        if (month is < 1 or > 12 || day < 1 || year < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 60) return false;
        var leap = second == 60;
        var dt = new DateTime(year, month, day, hour, minute, leap ? 59 : second, DateTimeKind.Utc).AddTicks(ticks);
        if (leap) dt = dt.AddSeconds(1);
        value = dt.AddMinutes(-offsetMinutes);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        if (start < 0 || start + count > s.Length) return false;
        for (var k = start; k < start + count; k++)
        {
            var c = s[k];
            if (!char.IsAsciiDigit(c)) return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }
}
