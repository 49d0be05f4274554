namespace Broker.Simulators.Data;

/// <summary>What a table generator needs: provider options and the public URLs it may embed in rows.</summary>
/// <param name="Options">The provider's options (seed, counts, years).</param>
/// <param name="DataUrl">Absolute URL of the provider's data endpoint, e.g. <c>http://127.0.0.1:5000/sdo/data</c>.</param>
internal sealed record GenerationContext(SimulatedProviderOptions Options, string DataUrl)
{
    public DateTime Start => new(Options.StartYear, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public DateTime End => new(Options.EndYear + 1, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>A generator for one product line; independent of the other lines so adding one shifts nothing.</summary>
    public Random RandomFor(int productIndex) => new(unchecked(Options.Seed * 7919 + productIndex * 104729 + 17));
}

/// <summary>How generators share a record budget among their product lines.</summary>
internal static class RecordBudget
{
    /// <summary>
    /// Record counts per product in proportion to <paramref name="weights"/>, rounded; the last product takes what is
    /// left, so the counts add up to <paramref name="budget"/> (and none is negative).
    /// </summary>
    public static int[] ShareByWeight(int budget, IReadOnlyList<double> weights)
    {
        var totalWeight = weights.Sum();
        var counts = new int[weights.Count];
        var assigned = 0;
        for (var p = 0; p < counts.Length; p++)
        {
            var count = p == counts.Length - 1 ? budget - assigned : (int)Math.Round(budget * weights[p] / totalWeight);
            counts[p] = Math.Max(0, Math.Min(count, budget - assigned));
            assigned += counts[p];
        }

        return counts;
    }
}

/// <summary>Small deterministic helpers over <see cref="Random"/>.</summary>
internal static class RandomExtensions
{
    public static long NextInt64(this Random random, long min, long max) => min + (long)(random.NextDouble() * (max - min));

    public static TimeSpan NextDuration(this Random random, TimeSpan min, TimeSpan max) =>
        TimeSpan.FromMilliseconds(Math.Round(min.TotalMilliseconds + random.NextDouble() * (max - min).TotalMilliseconds));

    public static string Pick(this Random random, (string Value, double Weight)[] choices)
    {
        var x = random.NextDouble() * choices.Sum(c => c.Weight);
        foreach (var (value, weight) in choices)
        {
            if ((x -= weight) < 0) return value;
        }

        return choices[^1].Value;
    }

    /// <summary>Truncates to whole milliseconds so that values survive text round trips exactly.</summary>
    public static DateTime ToMilliseconds(this DateTime t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
}
