namespace Broker.Core.Model;

/// <summary>Which time of a record a <see cref="TimeBound"/> compares.</summary>
public enum RecordTime { Begin, End }

/// <summary>The comparison of a <see cref="TimeBound"/>: record time <c>op</c> value.</summary>
public enum TimeComparison { Less, LessOrEqual, Greater, GreaterOrEqual }

/// <summary>One comparison of a record's begin or end time with a constant.</summary>
public sealed record TimeBound(RecordTime Field, TimeComparison Op, DateTimeOffset Value)
{
    public bool Holds(DateTimeOffset begin, DateTimeOffset end)
    {
        var t = Field == RecordTime.Begin ? begin : end;
        return Op switch
        {
            TimeComparison.Less => t < Value,
            TimeComparison.LessOrEqual => t <= Value,
            TimeComparison.Greater => t > Value,
            _ => t >= Value,
        };
    }
}

/// <summary>
/// A time condition in conjunctive normal form: every clause must hold, a clause holds when one of its bounds does.
/// Profiles translate it to ADQL comparison by comparison (in their own time columns and units) and the broker's own
/// check evaluates it on records, so both sides apply exactly the same rule.
/// </summary>
public sealed record TimeCondition(IReadOnlyList<IReadOnlyList<TimeBound>> Clauses)
{
    /// <summary>True when a record [begin, end) satisfies the condition; a record without end is the instant begin.</summary>
    public bool Matches(DateTimeOffset begin, DateTimeOffset? end)
    {
        var e = end ?? begin;
        // Index loops: foreach over the interfaces would allocate two enumerators per record checked.
        for (var i = 0; i < Clauses.Count; i++)
        {
            var clause = Clauses[i];
            var any = false;
            for (var j = 0; j < clause.Count && !any; j++) any = clause[j].Holds(begin, e);
            if (!any) return false;
        }
        return true;
    }
}

/// <summary>
/// The broker's one time rule, applied identically by every TAP profile's ADQL, the post-check and every door.
/// A record covers [begin, end) and a query covers [start, end); they match when begin &lt; end(query) and
/// end(record) &gt; start. A query with start = end is an instant t and matches records with begin ≤ t &lt; end;
/// a record with begin = end matches when start ≤ begin &lt; end(query).
/// </summary>
public static class TimeRule
{
    /// <summary>The condition a record's times must satisfy to match <paramref name="range"/>.</summary>
    public static TimeCondition For(TimeRange range)
    {
        var (start, end) = (range.Start, range.End);
        if (start == end)
        {
            // An instant t: begin ≤ t < end(record).
            return new TimeCondition([
                [new TimeBound(RecordTime.Begin, TimeComparison.LessOrEqual, start)],
                [new TimeBound(RecordTime.End, TimeComparison.Greater, start)],
            ]);
        }
        // begin < end(query) and (end(record) > start, or begin ≥ start for a zero-length record at start).
        // "end(record) ≥ start" is implied for well-formed records; stated separately it lets a server (and our
        // simulators) bound the scan through an index on the end time.
        return new TimeCondition([
            [new TimeBound(RecordTime.Begin, TimeComparison.Less, end)],
            [new TimeBound(RecordTime.End, TimeComparison.GreaterOrEqual, start)],
            [new TimeBound(RecordTime.End, TimeComparison.Greater, start), new TimeBound(RecordTime.Begin, TimeComparison.GreaterOrEqual, start)],
        ]);
    }

    /// <summary>True when a record [begin, end) matches the query range under the rule.</summary>
    public static bool Matches(TimeRange range, DateTimeOffset begin, DateTimeOffset? end) => For(range).Matches(begin, end);
}
