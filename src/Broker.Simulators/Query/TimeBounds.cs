namespace Broker.Simulators.Data;

/// <summary>Inclusive bounds on a table's sort column, in <see cref="SimTable.TimeKey"/> units.</summary>
internal sealed class TimeBounds
{
    public double Low { get; private set; } = double.NegativeInfinity;

    public double High { get; private set; } = double.PositiveInfinity;

    public void AtLeast(double value) => Low = Math.Max(Low, value);

    public void AtMost(double value) => High = Math.Min(High, value);

    /// <summary>The rows of a sorted table whose sort key lies in [Low, High] (found by binary search).</summary>
    public IReadOnlyList<object?[]> Slice(SimTable table)
    {
        var rows = table.Rows;
        var ordinal = table.Ordinal(table.TimeColumn!);
        var from = double.IsNegativeInfinity(Low) ? 0 : LowerBound(rows, ordinal, Low);
        var to = double.IsPositiveInfinity(High) ? rows.Count : UpperBound(rows, ordinal, High);
        if (from == 0 && to == rows.Count) return rows;
        return to <= from ? [] : new RowSlice(rows, from, to - from);
    }

    private static int LowerBound(IReadOnlyList<object?[]> rows, int ordinal, double key)
    {
        int lo = 0, hi = rows.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (SimTable.TimeKey(rows[mid][ordinal]) < key) lo = mid + 1;
            else hi = mid;
        }

        return lo;
    }

    private static int UpperBound(IReadOnlyList<object?[]> rows, int ordinal, double key)
    {
        int lo = 0, hi = rows.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (SimTable.TimeKey(rows[mid][ordinal]) <= key) lo = mid + 1;
            else hi = mid;
        }

        return lo;
    }

    private sealed class RowSlice(IReadOnlyList<object?[]> rows, int offset, int count) : IReadOnlyList<object?[]>
    {
        public object?[] this[int index] => rows[offset + index];

        public int Count => count;

        public IEnumerator<object?[]> GetEnumerator()
        {
            for (var i = 0; i < count; i++) yield return rows[offset + i];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
