using System.Globalization;
using System.Numerics;
using YamlDotNet.RepresentationModel;

namespace Broker.Core.Configuration;

/// <summary>
/// A YAML mapping with its location, read key by key. Every key read is remembered, so that
/// <see cref="ReportUnknownKeys"/> can flag the rest: a typo in providers.yaml is an error, never ignored.
/// </summary>
public sealed class ConfigSection
{
    private readonly YamlMappingNode _node;
    private readonly HashSet<string> _consumed = new(StringComparer.Ordinal);

    public ConfigSection(YamlMappingNode node, string file, string path, ConfigErrors errors)
    {
        _node = node;
        File = file;
        Path = path;
        Errors = errors;
    }

    public string File { get; }
    public string Path { get; }
    public ConfigErrors Errors { get; }
    public int Line => (int)_node.Start.Line;

    /// <summary>The keys present, in file order.</summary>
    public IEnumerable<string> Keys => _node.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "");

    public bool Has(string key) => Find(key) is not null;

    /// <summary>Adds an error located at <paramref name="key"/> (or at this section when the key is absent).</summary>
    public void Error(string key, string message)
    {
        var node = Find(key);
        Errors.Add(new ConfigError(File, (int)(node?.Start.Line ?? _node.Start.Line), Qualify(key), message));
    }

    public string? GetString(string key, bool required = false)
    {
        var node = Take(key);
        switch (node)
        {
            case null:
                if (required) Error(key, "is required");
                return null;
            case YamlScalarNode s:
                return s.Value;
            default:
                Error(key, "must be a single value");
                return null;
        }
    }

    public bool GetBool(string key, bool defaultValue)
    {
        var text = GetString(key);
        if (text is null) return defaultValue;
        if (bool.TryParse(text, out var b)) return b;
        Error(key, $"'{text}' is not true or false");
        return defaultValue;
    }

    public int GetInt(string key, int defaultValue, int min = int.MinValue, int max = int.MaxValue) =>
        GetNumber(key, defaultValue, min, max, "a whole number");

    public double GetDouble(string key, double defaultValue, double min = double.MinValue, double max = double.MaxValue) =>
        GetNumber(key, defaultValue, min, max, "a number");

    private T GetNumber<T>(string key, T defaultValue, T min, T max, string what) where T : INumber<T>
    {
        var text = GetString(key);
        if (text is null) return defaultValue;
        if (T.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max) return v;
        Error(key, $"'{text}' must be {what} from {min.ToString(null, CultureInfo.InvariantCulture)} to {max.ToString(null, CultureInfo.InvariantCulture)}");
        return defaultValue;
    }

    /// <summary>The longest duration any setting accepts unless it says otherwise (also Polly's bound for every strategy).</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(1);

    /// <summary>
    /// Reads a duration such as 250ms, 30s, 2m, 1h, 1d, or a plain number of seconds, from <paramref name="min"/>
    /// (default zero) to <paramref name="max"/> (default <see cref="MaxDuration"/>); anything else is an error at the key.
    /// </summary>
    public TimeSpan GetDuration(string key, TimeSpan defaultValue, TimeSpan? min = null, TimeSpan? max = null)
    {
        var text = GetString(key);
        if (text is null) return defaultValue;
        if (!TryParseDuration(text, out var d))
        {
            Error(key, $"'{text}' is not a duration (examples: 250ms, 30s, 2m, 1h)");
            return defaultValue;
        }
        var (lo, hi) = (min ?? TimeSpan.Zero, max ?? MaxDuration);
        if (d >= lo && d <= hi) return d;
        Error(key, $"'{text}' must be from {FormatDuration(lo)} to {FormatDuration(hi)}");
        return defaultValue;
    }

    /// <summary>A duration as providers.yaml writes it (250ms, 30s, 2m, 24h).</summary>
    public static string FormatDuration(TimeSpan t) => t switch
    {
        _ when t.Ticks % TimeSpan.TicksPerHour == 0 && t >= TimeSpan.FromHours(1) => $"{(long)t.TotalHours}h",
        _ when t.Ticks % TimeSpan.TicksPerMinute == 0 && t >= TimeSpan.FromMinutes(1) => $"{(long)t.TotalMinutes}m",
        _ when t.Ticks % TimeSpan.TicksPerSecond == 0 && t >= TimeSpan.FromSeconds(1) => $"{(long)t.TotalSeconds}s",
        _ => $"{t.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms",
    };

    /// <summary>Reads an absolute http(s) URL.</summary>
    public Uri? GetUrl(string key, bool required = false)
    {
        var text = GetString(key, required);
        if (text is null) return null;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            return uri;
        Error(key, $"'{text}' is not an absolute http or https URL");
        return null;
    }

    public IReadOnlyList<string> GetStringList(string key)
    {
        var node = Take(key);
        switch (node)
        {
            case null: return [];
            case YamlScalarNode s: return string.IsNullOrWhiteSpace(s.Value) ? [] : [s.Value!];
            case YamlSequenceNode seq:
                var list = new List<string>();
                foreach (var item in seq.Children)
                {
                    if (item is YamlScalarNode { Value: { } v }) list.Add(v);
                    else Errors.Add(new ConfigError(File, (int)item.Start.Line, Qualify(key), "list items must be single values"));
                }
                return list;
            default:
                Error(key, "must be a list");
                return [];
        }
    }

    /// <summary>Returns a nested mapping, or null when absent (an error when present but not a mapping).</summary>
    public ConfigSection? GetSection(string key)
    {
        var node = Take(key);
        if (node is null) return null;
        if (node is YamlMappingNode m) return new ConfigSection(m, File, Qualify(key), Errors);
        Error(key, "must be a mapping of keys to values");
        return null;
    }

    /// <summary>Reads a mapping of string to string (for column maps and the like).</summary>
    public IReadOnlyDictionary<string, string> GetStringMap(string key)
    {
        var section = GetSection(key);
        if (section is null) return new Dictionary<string, string>();
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var k in section.Keys.ToList())
        {
            var v = section.GetString(k);
            if (v is not null) map[k] = v;
        }
        return map;
    }

    /// <summary>Flags every key that no reader asked for.</summary>
    public void ReportUnknownKeys(string? hint = null)
    {
        foreach (var (k, _) in _node.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "?";
            if (!_consumed.Contains(name))
                Errors.Add(new ConfigError(File, (int)k.Start.Line, Qualify(name), "unknown key" + (hint is null ? "" : $" ({hint})")));
        }
    }

    /// <summary>The mapping as plain data (for storing a provider's options, e.g. in the registry database).</summary>
    public IReadOnlyDictionary<string, object?> ToPlainData() => (IReadOnlyDictionary<string, object?>)ToPlain(_node)!;

    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = default;
        var t = text.Trim().ToLowerInvariant();
        (string num, double scale) = t switch
        {
            _ when t.EndsWith("ms") => (t[..^2], 1d),
            _ when t.EndsWith('s') => (t[..^1], 1000d),
            _ when t.EndsWith('m') => (t[..^1], 60_000d),
            _ when t.EndsWith('h') => (t[..^1], 3_600_000d),
            _ when t.EndsWith('d') => (t[..^1], 86_400_000d),
            _ => (t, 1000d),
        };
        if (!double.TryParse(num, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || !double.IsFinite(n)) return false;
        // Beyond TimeSpan's range is still a duration, only one no setting accepts: the range check says so.
        var ms = n * scale;
        value = ms >= TimeSpan.MaxValue.TotalMilliseconds ? TimeSpan.MaxValue
            : ms <= TimeSpan.MinValue.TotalMilliseconds ? TimeSpan.MinValue
            : TimeSpan.FromMilliseconds(ms);
        return true;
    }

    private static object? ToPlain(YamlNode node) => node switch
    {
        YamlScalarNode s => s.Value,
        YamlSequenceNode seq => seq.Children.Select(ToPlain).ToList(),
        YamlMappingNode m => m.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value ?? "", p => ToPlain(p.Value)),
        _ => null,
    };

    private YamlNode? Find(string key) =>
        _node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    private YamlNode? Take(string key)
    {
        _consumed.Add(key);
        return Find(key);
    }

    private string Qualify(string key) => Path.Length == 0 ? key : Path + "." + key;
}
