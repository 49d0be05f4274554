using Broker.Core.Model;

namespace Broker.Core.Search;

/// <summary>
/// Merges provider answers: drops duplicates (same provider and file id, as VSO's own merge does), orders
/// stably by start time (unknown last), provider and file id, and applies the record limit honestly.
/// </summary>
public static class ResultMerger
{
    public static (IReadOnlyList<DataRecord> Records, int Total, bool Truncated) Merge(
        IEnumerable<ProviderOutcome> outcomes, int limit)
    {
        var seen = new HashSet<(string, string)>();
        var all = new List<DataRecord>();
        var providerTruncated = false;
        foreach (var outcome in outcomes)
        {
            providerTruncated |= outcome.Truncated;
            foreach (var r in outcome.Records)
                if (seen.Add((r.Provider, r.FileId))) all.Add(r);
        }
        all.Sort(Compare);
        var total = all.Count;
        if (all.Count > limit) all.RemoveRange(limit, all.Count - limit);
        return (all, total, providerTruncated || total > limit);
    }

    /// <summary>The broker's record order: start time (nulls last), then provider, then file id (ordinal).</summary>
    public static int Compare(DataRecord a, DataRecord b)
    {
        var c = (a.Start, b.Start) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            var (x, y) => x.Value.CompareTo(y.Value),
        };
        if (c != 0) return c;
        c = string.CompareOrdinal(a.Provider, b.Provider);
        return c != 0 ? c : string.CompareOrdinal(a.FileId, b.FileId);
    }
}
