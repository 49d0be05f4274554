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
    public static (int Total, bool Exact) Total(IReadOnlyList<ProviderOutcome> outcomes, int distinctReturned)
    {
        long total = distinctReturned;
        var exact = true;
        foreach (var o in outcomes)
        {
            if (o.Status == ProviderStatus.Skipped) continue;
            if (o.Found is not { } found)
            {
                exact = false;
                continue;
            }
            total += Math.Max(0, found - o.RecordCount);
            exact &= o.FoundExact;
        }
        return ((int)Math.Min(total, int.MaxValue), exact);
    }

    /// <summary>
    /// VSO-Truncated as VAMDC defines it: the percentage of all available records that the returned ones represent;
    /// null when nothing was cut or when the total is not exact.
    /// </summary>
    public static double? TruncatedPercent(int returned, int total, bool totalExact) =>
        totalExact && total > returned && total > 0 ? Math.Round(100.0 * returned / total, 2) : null;
}
