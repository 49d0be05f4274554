using System.Runtime.CompilerServices;
using Broker.Core.Providers;

namespace Broker.Core.Search;

/// <summary>
/// Remembers the prepared (filtered, sorted, de-duplicated) records of an answer object for the last block it was
/// prepared for. Answers served from the cache are the same objects again, so a repeated query skips the work.
/// </summary>
internal static class PreparedAnswers
{
    private sealed record Entry(string Key, PreparedRecords Records);

    private static readonly ConditionalWeakTable<ProviderAnswer, Entry> Memo = new();

    public static PreparedRecords Get(ProviderAnswer answer, string key, Func<PreparedRecords> prepare)
    {
        if (Memo.TryGetValue(answer, out var entry) && entry.Key == key) return entry.Records;
        var records = prepare();
        Memo.AddOrUpdate(answer, new Entry(key, records));
        return records;
    }
}
