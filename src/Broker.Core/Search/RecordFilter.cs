using Broker.Core.Model;

namespace Broker.Core.Search;

/// <summary>Checks returned records against a block: always the time rule, plus the attributes the provider could not filter on.</summary>
public static class RecordFilter
{
    /// <summary>True when the record satisfies the block for the given post-filter attributes.</summary>
    public static bool Matches(DataRecord r, QueryBlock block, IReadOnlySet<QueryAttribute> postFilter) =>
        Matches(r, block, TimeRule.For(block.Time), postFilter);

    /// <summary>As <see cref="Matches(DataRecord, QueryBlock, IReadOnlySet{QueryAttribute})"/> with the block's time condition built once.</summary>
    public static bool Matches(DataRecord r, QueryBlock block, TimeCondition time, IReadOnlySet<QueryAttribute> postFilter)
    {
        if (r.Start is { } start && !time.Matches(start, r.End)) return false;
        foreach (var a in postFilter)
        {
            var ok = a switch
            {
                QueryAttribute.Source => Same(r.Source, block.Source),
                QueryAttribute.Instrument => Same(r.Instrument, block.Instrument),
                QueryAttribute.Detector => Same(r.Detector, block.Detector),
                QueryAttribute.Physobs => Same(r.Physobs, block.Physobs),
                QueryAttribute.Level => SameLevel(r.Level, block.Level),
                QueryAttribute.Wave => block.Wave is not { } w || double.IsPositiveInfinity(w.MaxAngstrom) && w.MinAngstrom == 0
                    || r.WaveMin is { } min && w.Overlaps(min, r.WaveMax ?? min),
                QueryAttribute.WaveType => Same(r.WaveType, block.Wave?.WaveType),
                _ => true,
            };
            if (!ok) return false;
        }
        return true;
    }

    private static bool Same(string? value, string? wanted) =>
        wanted is null || value is not null && string.Equals(value, wanted, StringComparison.OrdinalIgnoreCase);

    /// <summary>Levels compare loosely: "2", "L2" and "l2" are the same level.</summary>
    private static bool SameLevel(string? value, string? wanted)
    {
        if (wanted is null) return true;
        if (value is null) return false;
        static string Norm(string s) => s.Trim().TrimStart('L', 'l');
        return string.Equals(value, wanted, StringComparison.OrdinalIgnoreCase) ||
               string.Equals(Norm(value), Norm(wanted), StringComparison.OrdinalIgnoreCase) && !value.StartsWith("LL", StringComparison.OrdinalIgnoreCase);
    }
}
