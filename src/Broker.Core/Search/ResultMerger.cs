using Broker.Core.Model;

namespace Broker.Core.Search;

/// <summary>
/// Merges provider answers: drops duplicates (same provider and file id, as VSO's own merge does), joins the records
/// of different providers that identify the same dataset (<see cref="DataRecord.Identity"/>) into the first one in
/// order, which lists the others in <see cref="DataRecord.AlsoAt"/>; orders stably by start time (unknown last),
/// provider and file id, and applies the record limit honestly. The total counts datasets (after joining).
/// </summary>
public static class ResultMerger
{
    private static readonly Comparer<DataRecord> Order = Comparer<DataRecord>.Create(Compare);

    /// <summary>
    /// A k-way merge of the providers' lists. The engine prepares each provider's list (<see cref="Prepare"/>: sorted,
    /// without duplicates) as its answer arrives, while slower providers are still working, so what is left after the
    /// last answer is a linear pass with no hashing.
    /// </summary>
    public static (IReadOnlyList<DataRecord> Records, int Total, bool Truncated) Merge(
        IEnumerable<ProviderOutcome> outcomes, int limit)
    {
        var lists = new List<PreparedRecords>();
        var providerTruncated = false;
        var capacity = 0;
        foreach (var outcome in outcomes)
        {
            providerTruncated |= outcome.Truncated;
            if (outcome.Records.Count == 0) continue;
            var prepared = outcome.Records as PreparedRecords ?? Prepare(outcome.Records);
            lists.Add(prepared);
            capacity += prepared.Count;
        }

        if (lists.Count == 1 && lists[0].SingleProvider is not null) return Single(lists[0], limit, providerTruncated);

        // Duplicates can only cross lists when a provider's records are spread over several lists.
        var providers = lists.Select(l => l.SingleProvider).ToList();
        var seen = providers.Any(p => p is null) || providers.Distinct().Count() < providers.Count
            ? new HashSet<(string, string)>(capacity)
            : null;

        var merged = new List<DataRecord>(Math.Min(capacity, limit));
        var next = new int[lists.Count];
        var queue = new PriorityQueue<int, DataRecord>(lists.Count, Order);
        for (var i = 0; i < lists.Count; i++) queue.Enqueue(i, lists[i][0]);
        var total = 0;
        DatasetIndex? datasets = null;
        while (queue.TryDequeue(out var list, out var record))
        {
            if (seen is null || seen.Add((record.Provider, record.FileId)))
            {
                var index = merged.Count < limit ? merged.Count : -1;
                var joined = record.Identity is { } identity
                    && !(datasets ??= new DatasetIndex(capacity)).TryClaim(identity, index, record.Provider, out var first)
                    && JoinedToItsDataset(record, first, merged);
                if (!joined)
                {
                    total++;
                    if (index >= 0) merged.Add(record);
                }
            }
            if (++next[list] < lists[list].Count) queue.Enqueue(list, lists[list][next[list]]);
        }
        return (merged, total, providerTruncated || total > limit);
    }

    /// <summary>
    /// True when another provider's record of the same dataset came first: this one becomes an alternative of it (or,
    /// when that record is beyond the limit, is dropped with it). Records of one provider are never joined.
    /// </summary>
    private static bool JoinedToItsDataset(DataRecord record, (int Index, string Provider) first, List<DataRecord> merged)
    {
        if (string.Equals(first.Provider, record.Provider, StringComparison.Ordinal)) return false;
        if (first.Index >= 0)
        {
            var primary = merged[first.Index];
            if (primary.AlsoAt is { } alsoAt && HasProvider(alsoAt, record.Provider)) return true;
            merged[first.Index] = primary with { AlsoAt = [.. primary.AlsoAt ?? [], new RecordAlternative(record.Provider, record.FileId)] };
        }
        return true;
    }

    // A loop, not a lambda: a lambda capturing the record made every record merged allocate a closure.
    private static bool HasProvider(IReadOnlyList<RecordAlternative> alternatives, string provider)
    {
        for (var i = 0; i < alternatives.Count; i++)
            if (alternatives[i].Provider == provider) return true;
        return false;
    }

    private static (IReadOnlyList<DataRecord>, int, bool) Single(PreparedRecords list, int limit, bool providerTruncated) =>
        (list.Count <= limit ? list : list.Take(limit).ToList(), list.Count, providerTruncated || list.Count > limit);

    /// <summary>Sorts records into the broker's order and drops repeated (provider, file id) pairs.</summary>
    public static PreparedRecords Prepare(IEnumerable<DataRecord> records)
    {
        var list = new List<DataRecord>(records);
        if (!IsSorted(list)) list.Sort(Order); // providers mostly answer in this order already (ORDER BY time, id)
        var seen = new HashSet<(string, string)>(list.Count);
        var distinct = new List<DataRecord>(list.Count);
        string? single = list.Count > 0 ? list[0].Provider : null;
        foreach (var r in list)
        {
            if (!seen.Add((r.Provider, r.FileId))) continue;
            distinct.Add(r);
            if (single is not null && !string.Equals(single, r.Provider, StringComparison.Ordinal)) single = null;
        }
        return new PreparedRecords(distinct, single);
    }

    /// <summary>The broker's record order: start time (nulls last), then provider, then file id (ordinal).</summary>
    private static bool IsSorted(List<DataRecord> list)
    {
        for (var i = 1; i < list.Count; i++)
            if (Compare(list[i - 1], list[i]) > 0) return false;
        return true;
    }

    public static int Compare(DataRecord a, DataRecord b)
    {
        int c;
        if (a.Start is { } x) c = b.Start is { } y ? x.UtcTicks.CompareTo(y.UtcTicks) : -1;
        else c = b.Start is null ? 0 : 1;
        if (c != 0) return c;
        c = string.CompareOrdinal(a.Provider, b.Provider);
        return c != 0 ? c : string.CompareOrdinal(a.FileId, b.FileId);
    }
}

/// <summary>Records in the broker's order without duplicates; <see cref="SingleProvider"/> is set when all come from one provider.</summary>
public sealed class PreparedRecords(List<DataRecord> records, string? singleProvider) : IReadOnlyList<DataRecord>
{
    public string? SingleProvider { get; } = singleProvider;
    public int Count => records.Count;
    public DataRecord this[int index] => records[index];
    public IEnumerator<DataRecord> GetEnumerator() => records.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
