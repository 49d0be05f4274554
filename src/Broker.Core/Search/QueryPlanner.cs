using Broker.Core.Model;
using Broker.Core.Providers;

namespace Broker.Core.Search;

/// <summary>One call the engine will make: a provider, a block, and which attributes it must check after the fetch.</summary>
public sealed record PlannedCall(ProviderRuntime Provider, int BlockIndex, QueryBlock Block, IReadOnlySet<QueryAttribute> PostFilter);

/// <summary>The calls of a search, and the providers left out with the reason.</summary>
public sealed record SearchPlan(IReadOnlyList<PlannedCall> Calls, IReadOnlyDictionary<string, string> Skipped);

/// <summary>
/// Decides which providers can answer which block, from their declared capabilities. A block with
/// instrument EUI never goes to a provider without EUI; an attribute a provider cannot filter on is checked
/// on the records after the fetch when the record carries it, and otherwise the provider is skipped —
/// never silently ignored.
/// </summary>
public static class QueryPlanner
{
    /// <summary>Attributes the broker can check on a returned record.</summary>
    public static readonly IReadOnlySet<QueryAttribute> PostFilterable = new HashSet<QueryAttribute>
    {
        QueryAttribute.Provider, QueryAttribute.Source, QueryAttribute.Instrument, QueryAttribute.Detector,
        QueryAttribute.Physobs, QueryAttribute.Level, QueryAttribute.Wave, QueryAttribute.WaveType,
    };

    /// <summary>Plans the calls; throws <see cref="NoProviderException"/> when some block has no provider at all.</summary>
    public static SearchPlan Plan(NormalizedQuery query, IEnumerable<ProviderRuntime> providers, IReadOnlySet<string>? only = null)
    {
        var list = providers.Where(p => only is null || only.Contains(p.Id)).ToList();
        var calls = new List<PlannedCall>();
        var skipped = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < query.Blocks.Count; i++)
        {
            var block = query.Blocks[i];
            var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in list)
            {
                var reason = WhyNot(p.Id, p.Capabilities, block, out var postFilter);
                if (reason is null) calls.Add(new PlannedCall(p, i, block, postFilter));
                else reasons[p.Id] = reason;
            }
            if (reasons.Count == list.Count)
                throw new NoProviderException(i, list.Count == 0
                    ? new Dictionary<string, string> { ["registry"] = "no provider is enabled" }
                    : reasons);
            foreach (var (id, r) in reasons) skipped.TryAdd(id, r);
        }
        foreach (var id in calls.Select(c => c.Provider.Id)) skipped.Remove(id);
        return new SearchPlan(calls, skipped);
    }

    /// <summary>Returns why a provider cannot answer a block, or null when it can (with the attributes to post-filter).</summary>
    public static string? WhyNot(string id, ProviderCapabilities caps, QueryBlock block, out IReadOnlySet<QueryAttribute> postFilter)
    {
        postFilter = new HashSet<QueryAttribute>();
        if (block.Provider is { } provider && !Matches(caps, QueryAttribute.Provider, caps.Providers, provider, orIs: id, emptyMeansAny: false))
            return $"provider '{provider}' is not this one";
        if (block.Source is { } source && !Matches(caps, QueryAttribute.Source, caps.Sources, source))
            return $"source '{source}' is not offered (offers {List(caps.Sources)})";
        if (block.Instrument is { } instrument && !Matches(caps, QueryAttribute.Instrument, caps.Instruments, instrument))
            return $"instrument '{instrument}' is not offered (offers {List(caps.Instruments)})";
        if (block.Physobs is { } physobs && !Matches(caps, QueryAttribute.Physobs, caps.Physobs, physobs))
            return $"physobs '{physobs}' is not offered";
        if (caps.CoverageStart is { } cs && block.Time.End < cs)
            return $"no data before {cs:yyyy-MM-dd}";
        if (caps.CoverageEnd is { } ce && block.Time.Start > ce)
            return $"no data after {ce:yyyy-MM-dd}";

        var post = new HashSet<QueryAttribute>();
        foreach (var attribute in block.SetAttributes())
        {
            if (caps.Filters.Contains(attribute)) continue;
            if (!PostFilterable.Contains(attribute) || caps.RecordFields is { } carried && !carried.Contains(attribute))
                return $"cannot filter on {Name(attribute)}" +
                       (caps.FilterGaps.GetValueOrDefault(attribute) is { } gap ? ": " + gap
                           : PostFilterable.Contains(attribute) ? $": its records carry no {Name(attribute)}" : "");
            post.Add(attribute);
        }
        postFilter = post;
        return null;
    }

    /// <summary>An attribute as people call it: wavelength, wave type, detector ...</summary>
    public static string Name(QueryAttribute attribute) => attribute switch
    {
        QueryAttribute.Wave => "wavelength",
        QueryAttribute.WaveType => "wave type",
        _ => attribute.ToString().ToLowerInvariant(),
    };

    /// <summary>Whether a declared value (in VSO's spelling, through the provider's aliases) is the wanted one.</summary>
    private static bool Matches(ProviderCapabilities caps, QueryAttribute attribute, IReadOnlyList<string> offered, string wanted,
        string? orIs = null, bool emptyMeansAny = true)
    {
        if (orIs is not null && string.Equals(orIs, wanted, StringComparison.OrdinalIgnoreCase)) return true;
        if (offered.Count == 0) return emptyMeansAny;
        var vso = Vocabulary.Normalize(attribute, wanted);
        foreach (var o in offered)
            if (string.Equals(Vocabulary.Normalize(attribute, o, caps.Aliases), vso, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    private static string List(IReadOnlyList<string> values) =>
        values.Count <= 8 ? string.Join(", ", values) : string.Join(", ", values.Take(8)) + ", …";
}
