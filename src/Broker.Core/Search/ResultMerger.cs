using Broker.Core.Model;

namespace Broker.Core.Search;

/// <summary>
/// Merges provider answers: drops duplicates (same provider and file id, as VSO's own merge does), orders
/// stably by start time (unknown last), provider and file id, and applies the record limit honestly.
/// </summary>
public static class ResultMerger
{
    private static readonly Comparer<DataRecord> Order = Comparer<DataRecord>.Create(Compare);

    /// <summary>
    /// A k-way merge of the providers' lists. The engine sorts each provider's records as its answer arrives, while
    /// slower providers are still working, so what is left after the last answer is a linear pass.
    /// </summary>
    public static (IReadOnlyList<DataRecord> Records, int Total, bool Truncated) Merge(
        IEnumerable<ProviderOutcome> outcomes, int limit)
    {
        var lists = new List<IReadOnlyList<DataRecord>>();
        var providerTruncated = false;
        var capacity = 0;
        foreach (var outcome in outcomes)
        {
            providerTruncated |= outcome.Truncated;
            if (outcome.Records.Count == 0) continue;
            lists.Add(IsSorted(outcome.Records) ? outcome.Records : Sorted(outcome.Records));
            capacity += outcome.Records.Count;
        }

        var seen = new HashSet<(string, string)>(capacity);
        var merged = new List<DataRecord>(Math.Min(capacity, limit));
        var next = new int[lists.Count];
        var queue = new PriorityQueue<int, DataRecord>(lists.Count, Order);
        for (var i = 0; i < lists.Count; i++) queue.Enqueue(i, lists[i][0]);
        var total = 0;
        while (queue.TryDequeue(out var list, out var record))
        {
            if (seen.Add((record.Provider, record.FileId)))
            {
                total++;
                if (merged.Count < limit) merged.Add(record);
            }
            if (++next[list] < lists[list].Count) queue.Enqueue(list, lists[list][next[list]]);
        }
        return (merged, total, providerTruncated || total > limit);
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

    /// <summary>Sorts records into the broker's order in place.</summary>
    public static void Sort(List<DataRecord> records) => records.Sort(Order);

    private static bool IsSorted(IReadOnlyList<DataRecord> records)
    {
        for (var i = 1; i < records.Count; i++)
            if (Compare(records[i - 1], records[i]) > 0) return false;
        return true;
    }

    private static List<DataRecord> Sorted(IReadOnlyList<DataRecord> records)
    {
        var copy = new List<DataRecord>(records);
        Sort(copy);
        return copy;
    }
}
