namespace Broker.Core.Search;

/// <summary>
/// The broker's counts, in one place: how many records match at a provider and in all, and whether that number is
/// exact or a lower bound. A count is exact only when nothing was cut, or when the provider's own count is exact and
/// the broker's check rejected none of what it saw.
/// </summary>
public static class Counts
{
    /// <summary>A provider's matches after the check, from its answer, the records kept and those rejected.</summary>
    public static (long Found, bool Exact) Found(Providers.ProviderAnswer answer, int kept, int rejected)
    {
        if (!answer.Truncated) return (kept, true);
        if (answer.TotalAvailable is { } total && answer.TotalExact && rejected == 0) return (Math.Max(total, kept), true);
        return (Math.Max(kept, answer.TotalExact ? 0 : answer.TotalAvailable ?? 0), false);
    }

    /// <summary>
    /// The answer's total: the distinct merged records plus what each provider has beyond what it returned. Exact when
    /// every asked provider answered with an exact count; a failed or timed-out provider makes it a lower bound.
    /// </summary>
    /// <remarks>
    /// When records of different providers were joined as one dataset and some provider also has records it did not
    /// return, those unseen records may be the same datasets again: adding them up could count a dataset twice. The
    /// total is then the largest number known to be distinct (the joined records, or one provider's own count), and
    /// says it is a lower bound.
    /// </remarks>
    public static (int Total, bool Exact) Total(IReadOnlyList<ProviderOutcome> outcomes, int distinctReturned)
    {
        long total = distinctReturned;
        long largestProvider = 0, returned = 0;
        var exact = true;
        var unseen = false;
        foreach (var o in outcomes)
        {
            if (o.Status == ProviderStatus.Skipped) continue;
            returned += o.RecordCount;
            if (o.Found is not { } found)
            {
                exact = false;
                continue;
            }
            total += Math.Max(0, found - o.RecordCount);
            unseen |= found > o.RecordCount;
            largestProvider = Math.Max(largestProvider, found);
            exact &= o.FoundExact;
        }
        var joined = returned > distinctReturned;
        if (joined && unseen) return ((int)Math.Min(Math.Max(distinctReturned, largestProvider), int.MaxValue), false);
        return ((int)Math.Min(total, int.MaxValue), exact);
    }

    /// <summary>
    /// VSO-Truncated as VAMDC defines it: the percentage of all available records that the returned ones represent;
    /// null when nothing was cut or when the total is not exact.
    /// </summary>
    public static double? TruncatedPercent(int returned, int total, bool totalExact) =>
        totalExact && total > returned && total > 0 ? Math.Round(100.0 * returned / total, 2) : null;
}
