namespace Broker.Core.Validation;

/// <summary>
/// One query block as a front door receives it: every value is still the caller's text. REST query strings,
/// REST JSON bodies and VSOi SOAP requests are all turned into this shape and go through one
/// <see cref="QueryNormalizer"/>, so validation is the same everywhere.
/// </summary>
public sealed record QueryBlockInput
{
    public string? Start { get; init; }
    public string? End { get; init; }
    public string? Near { get; init; }
    public string? Provider { get; init; }
    public string? Source { get; init; }
    public string? Instrument { get; init; }
    public string? Detector { get; init; }
    public string? Physobs { get; init; }
    public string? Level { get; init; }
    public string? WaveMin { get; init; }
    public string? WaveMax { get; init; }
    public string? WaveUnit { get; init; }
    public string? WaveType { get; init; }
    public string? ExtentX { get; init; }
    public string? ExtentY { get; init; }
    public string? ExtentWidth { get; init; }
    public string? ExtentLength { get; init; }
    public string? ExtentType { get; init; }
    public string? Pixels { get; init; }
    public string? Resolution { get; init; }
    public string? Sample { get; init; }
    public string? Filter { get; init; }

    /// <summary>The parameter names accepted in a flat key/value form (REST query string, JSON block).</summary>
    public static readonly IReadOnlyList<string> ParameterNames =
    [
        "start", "end", "near", "provider", "source", "instrument", "detector", "physobs", "level",
        "wavemin", "wavemax", "waveunit", "wavetype", "extent.x", "extent.y", "extent.width", "extent.length",
        "extent.type", "pixels", "resolution", "sample", "filter",
    ];

    /// <summary>
    /// Builds a block from flat key/value pairs (case-insensitive names). Unknown names are reported in
    /// <paramref name="unknown"/> so the caller can reject them instead of silently ignoring a typo.
    /// </summary>
    public static QueryBlockInput FromPairs(IEnumerable<KeyValuePair<string, string?>> pairs, ICollection<string> unknown)
    {
        var b = new QueryBlockInput();
        foreach (var (rawKey, value) in pairs)
        {
            var key = rawKey.Trim().ToLowerInvariant().Replace('_', '.');
            b = key switch
            {
                "start" or "time.start" => b with { Start = value },
                "end" or "time.end" => b with { End = value },
                "near" or "time.near" => b with { Near = value },
                "provider" => b with { Provider = value },
                "source" => b with { Source = value },
                "instrument" => b with { Instrument = value },
                "detector" => b with { Detector = value },
                "physobs" => b with { Physobs = value },
                "level" => b with { Level = value },
                "wavemin" or "wave.min" or "wave.wavemin" => b with { WaveMin = value },
                "wavemax" or "wave.max" or "wave.wavemax" => b with { WaveMax = value },
                "waveunit" or "wave.unit" or "wave.waveunit" => b with { WaveUnit = value },
                "wavetype" or "wave.type" or "wave.wavetype" => b with { WaveType = value },
                "extent.x" => b with { ExtentX = value },
                "extent.y" => b with { ExtentY = value },
                "extent.width" => b with { ExtentWidth = value },
                "extent.length" => b with { ExtentLength = value },
                "extent.type" or "extent" => b with { ExtentType = value },
                "pixels" => b with { Pixels = value },
                "resolution" => b with { Resolution = value },
                "sample" => b with { Sample = value },
                "filter" => b with { Filter = value },
                _ => Unknown(b, rawKey, unknown),
            };
        }
        return b;
    }

    private static QueryBlockInput Unknown(QueryBlockInput b, string key, ICollection<string> unknown)
    {
        unknown.Add(key);
        return b;
    }
}
