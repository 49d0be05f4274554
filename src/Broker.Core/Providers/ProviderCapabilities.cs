using Broker.Core.Model;

namespace Broker.Core.Providers;

/// <summary>
/// What a provider can answer, declared in providers.yaml. Empty name lists mean "any". A block is sent to a
/// provider only when every set name matches and the provider can filter on, or post-filter, every attribute.
/// </summary>
public sealed record ProviderCapabilities
{
    /// <summary>Provider names this entry answers to (a block with provider=X goes only to these).</summary>
    public IReadOnlyList<string> Providers { get; init; } = [];
    public IReadOnlyList<string> Sources { get; init; } = [];
    public IReadOnlyList<string> Instruments { get; init; } = [];
    public IReadOnlyList<string> Physobs { get; init; } = [];
    /// <summary>Detectors the provider offers (for the vocabulary; a search is not restricted by them).</summary>
    public IReadOnlyList<string> Detectors { get; init; } = [];
    /// <summary>Levels the provider offers (for the vocabulary; a search is not restricted by them).</summary>
    public IReadOnlyList<string> Levels { get; init; } = [];
    /// <summary>The provider's own spellings of VSO values (<c>aliases: { source: { SOLO: Solar Orbiter } }</c>).</summary>
    public ValueAliases Aliases { get; init; } = ValueAliases.None;
    /// <summary>Start of the data the provider holds; null when unknown.</summary>
    public DateTimeOffset? CoverageStart { get; init; }
    /// <summary>End of the data the provider holds; null for "until now".</summary>
    public DateTimeOffset? CoverageEnd { get; init; }
    /// <summary>Attributes the provider evaluates itself (in its own query language).</summary>
    public IReadOnlySet<QueryAttribute> Filters { get; init; } = new HashSet<QueryAttribute>();
    /// <summary>
    /// Attributes whose field the provider's records carry, so the broker can check them after the fetch; null when
    /// not declared (every attribute the broker can check is assumed carried).
    /// </summary>
    public IReadOnlySet<QueryAttribute>? RecordFields { get; init; }
    /// <summary>Why an attribute can be neither filtered nor checked here ("no wavelength column"), for the skip message.</summary>
    public IReadOnlyDictionary<QueryAttribute, string> FilterGaps { get; init; } = new Dictionary<QueryAttribute, string>();

    /// <summary>Structural equality (the lists by content, the filters as a set), so a reload can tell unchanged settings.</summary>
    public bool Equals(ProviderCapabilities? other) =>
        other is not null && Providers.SequenceEqual(other.Providers) && Sources.SequenceEqual(other.Sources) &&
        Instruments.SequenceEqual(other.Instruments) && Physobs.SequenceEqual(other.Physobs) &&
        Detectors.SequenceEqual(other.Detectors) && Levels.SequenceEqual(other.Levels) && Aliases.Equals(other.Aliases) &&
        CoverageStart == other.CoverageStart && CoverageEnd == other.CoverageEnd && Filters.SetEquals(other.Filters);

    public override int GetHashCode() => HashCode.Combine(Providers.Count, Instruments.Count, CoverageStart, CoverageEnd, Filters.Count);
}
