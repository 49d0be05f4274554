using System.Runtime.CompilerServices;
using Broker.Core.Providers;

namespace Broker.Core.Search;

/// <summary>
/// Remembers the prepared (filtered, sorted, de-duplicated) records of an answer object for the last block it was
/// prepared for. Answers served from the cache are the same objects again, so a repeated query skips the work.
/// </summary>
internal static class PreparedAnswers
{
    private sealed record Entry(string Key, PreparedRecords Records, int Rejected);

    private static readonly ConditionalWeakTable<ProviderAnswer, Entry> Memo = new();

    /// <summary>The prepared records and how many the broker's check rejected.</summary>
    public static (PreparedRecords Records, int Rejected) Get(ProviderAnswer answer, string key, Func<(PreparedRecords, int)> prepare)
    {
        if (Memo.TryGetValue(answer, out var entry) && entry.Key == key) return (entry.Records, entry.Rejected);
        var (records, rejected) = prepare();
        Memo.AddOrUpdate(answer, new Entry(key, records, rejected));
        return (records, rejected);
    }
}
