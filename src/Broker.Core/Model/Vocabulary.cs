using System.Globalization;

namespace Broker.Core.Model;

/// <summary>
/// A provider's own spellings of values, from providers.yaml (<c>capabilities.aliases</c>): per attribute, the VSO
/// spelling and the provider's (<c>source: { SOLO: Solar Orbiter }</c>).
/// </summary>
public sealed record ValueAliases(IReadOnlyDictionary<QueryAttribute, IReadOnlyDictionary<string, string>> ByAttribute)
{
    public static readonly ValueAliases None = new(new Dictionary<QueryAttribute, IReadOnlyDictionary<string, string>>());

    /// <summary>The provider's spelling of a VSO value, or null.</summary>
    public string? ProviderSpelling(QueryAttribute attribute, string vso) => Find(attribute, vso, byVso: true);

    /// <summary>The VSO value a provider spelling stands for, or null.</summary>
    /// <remarks>Called for every field of every returned record: a plain loop, no closure or LINQ enumerator.</remarks>
    public string? VsoValue(QueryAttribute attribute, string spelling) => Find(attribute, spelling, byVso: false);

    private string? Find(QueryAttribute attribute, string value, bool byVso)
    {
        if (ByAttribute.Count == 0 || !ByAttribute.TryGetValue(attribute, out var pairs)) return null;
        foreach (var (vso, own) in pairs)
            if (string.Equals(byVso ? vso : own, value, StringComparison.OrdinalIgnoreCase)) return byVso ? own : vso;
        return null;
    }

    public bool Equals(ValueAliases? other) =>
        other is not null && ByAttribute.Count == other.ByAttribute.Count && ByAttribute.All(a =>
            other.ByAttribute.TryGetValue(a.Key, out var o) && a.Value.Count == o.Count && a.Value.All(p => o.TryGetValue(p.Key, out var v) && v == p.Value));

    public override int GetHashCode() => ByAttribute.Count;
}

/// <summary>
/// The broker's one normalizer of attribute values to the VSO registry's vocabulary. A caller's value, a provider's
/// declared capability and a returned record all go through it, so "Solar Orbiter", "solar orbiter" and SOLO are one
/// source everywhere; a provider that spells a value otherwise (built-in synonyms, or its aliases in providers.yaml)
/// is asked with its spellings.
/// </summary>
public static class Vocabulary
{
    // VSO spelling → the other names archives use (ObsCore facility_name, EPN-TAP instrument_host_name, SPASE).
    private static readonly Dictionary<string, string[]> Sources = new(StringComparer.OrdinalIgnoreCase)
    {
        ["SOLO"] = ["Solar Orbiter", "Solar-Orbiter", "SolarOrbiter"],
        ["SDO"] = ["Solar Dynamics Observatory"],
        ["SOHO"] = ["Solar and Heliospheric Observatory"],
        ["STEREO_A"] = ["STEREO-A", "STEREO A", "STEREO Ahead"],
        ["STEREO_B"] = ["STEREO-B", "STEREO B", "STEREO Behind"],
        ["PSP"] = ["Parker Solar Probe"],
        ["HINODE"] = ["Solar-B"],
        ["PROBA2"] = ["PROBA-2"],
        ["GOES"] = [],
    };

    // VSO's physical observables (its registry spells them in this case).
    private static readonly string[] Physobs =
    [
        "intensity", "LOS_magnetic_field", "VECTOR_magnetic_field", "LOS_velocity", "equivalent_width", "particle_flux",
        "polarization", "spectrum", "Stokes_parameters",
    ];

    private static readonly Dictionary<string, string> SourceByName = Sources
        .SelectMany(s => s.Value.Append(s.Key).Select(a => (Alias: a, Vso: s.Key)))
        .ToDictionary(p => p.Alias, p => p.Vso, StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, string> PhysobsByName = Physobs.ToDictionary(p => p, StringComparer.OrdinalIgnoreCase);

    /// <summary>The attributes whose values the vocabulary normalizes.</summary>
    public static readonly IReadOnlyList<QueryAttribute> Attributes =
        [QueryAttribute.Provider, QueryAttribute.Source, QueryAttribute.Instrument, QueryAttribute.Detector, QueryAttribute.Physobs, QueryAttribute.Level];

    /// <summary>An attribute's name in queries and in the vocabulary document (provider, source, …).</summary>
    public static string Name(QueryAttribute attribute) => attribute.ToString().ToLowerInvariant();

    /// <summary>
    /// A value in VSO's spelling: a provider's alias becomes its VSO value, a known synonym its VSO name
    /// ("Solar Orbiter" → SOLO), a physobs VSO's case, a level its number ("L2" → 2; low-latency LL02 stays); anything
    /// else is returned trimmed.
    /// </summary>
    public static string? Normalize(QueryAttribute attribute, string? value, ValueAliases? aliases = null)
    {
        if (value is null) return null;
        var t = value.Trim();
        if (aliases?.VsoValue(attribute, t) is { } vso) t = vso;
        return attribute switch
        {
            QueryAttribute.Source => SourceByName.GetValueOrDefault(t, t),
            QueryAttribute.Physobs => PhysobsByName.GetValueOrDefault(t, t),
            QueryAttribute.Level => Level(t),
            _ => t,
        };
    }

    /// <summary>Every spelling of a VSO value a provider may use (VSO's first, then synonyms, then the provider's alias).</summary>
    public static IReadOnlyList<string> Spellings(QueryAttribute attribute, string value, ValueAliases? aliases = null)
    {
        var vso = Normalize(attribute, value, aliases)!;
        var all = new List<string> { vso };
        if (attribute == QueryAttribute.Source && Sources.TryGetValue(vso, out var synonyms)) all.AddRange(synonyms);
        if (aliases?.ProviderSpelling(attribute, vso) is { } own) all.Add(own);
        return all.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>A record with its values in VSO's spelling (the same object when nothing changes).</summary>
    public static DataRecord Normalize(DataRecord r, ValueAliases? aliases = null)
    {
        var source = Normalize(QueryAttribute.Source, r.Source, aliases);
        var instrument = Normalize(QueryAttribute.Instrument, r.Instrument, aliases);
        var detector = Normalize(QueryAttribute.Detector, r.Detector, aliases);
        var physobs = Normalize(QueryAttribute.Physobs, r.Physobs, aliases);
        var level = Normalize(QueryAttribute.Level, r.Level, aliases);
        return source == r.Source && instrument == r.Instrument && detector == r.Detector && physobs == r.Physobs && level == r.Level
            ? r
            : r with { Source = source, Instrument = instrument, Detector = detector, Physobs = physobs, Level = level };
    }

    /// <summary>"L2", "l2" and "2" are level 2; "LL02" (low latency) and words stay as given.</summary>
    private static string Level(string t)
    {
        var digits = t.Length > 1 && (t[0] is 'L' or 'l') && t[1] is not ('L' or 'l') ? t[1..] : t;
        return double.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _) ? digits : t;
    }
}
