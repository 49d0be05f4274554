namespace Broker.Core.Model;

/// <summary>
/// The broker's one normalizer of attribute values to the VSO registry's vocabulary: a source such as
/// "Solar Orbiter" is SOLO wherever it comes from (a caller, a TAP facility_name, a VSOi record), and a provider
/// that spells it differently is asked with every spelling of the value.
/// </summary>
public static class Vocabulary
{
    // VSO spelling → the other names archives use for it (ObsCore facility_name, EPN-TAP instrument_host_name).
    private static readonly Dictionary<string, string[]> Sources = new(StringComparer.OrdinalIgnoreCase)
    {
        ["SOLO"] = ["Solar Orbiter", "Solar-Orbiter"],
        ["SDO"] = ["Solar Dynamics Observatory"],
        ["SOHO"] = ["Solar and Heliospheric Observatory"],
        ["STEREO_A"] = ["STEREO-A", "STEREO A", "STEREO Ahead"],
        ["STEREO_B"] = ["STEREO-B", "STEREO B", "STEREO Behind"],
        ["PSP"] = ["Parker Solar Probe"],
        ["HINODE"] = ["Solar-B"],
        ["PROBA2"] = ["PROBA-2"],
    };

    private static readonly Dictionary<string, string> SourceByAlias = Sources
        .SelectMany(s => s.Value.Append(s.Key).Select(a => (Alias: a, Vso: s.Key)))
        .ToDictionary(p => p.Alias, p => p.Vso, StringComparer.OrdinalIgnoreCase);

    /// <summary>A source in VSO's spelling ("Solar Orbiter" → SOLO); unknown values are returned trimmed.</summary>
    public static string? Source(string? value) =>
        value is null ? null : SourceByAlias.TryGetValue(value.Trim(), out var vso) ? vso : value.Trim();

    /// <summary>Every spelling of a source (VSO's first), to ask a provider that may use any of them.</summary>
    public static IReadOnlyList<string> SourceSpellings(string value)
    {
        var vso = Source(value)!;
        return Sources.TryGetValue(vso, out var aliases) ? [vso, .. aliases] : [vso];
    }
}
