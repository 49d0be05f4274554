using System.Globalization;
using Broker.Adql;

namespace Broker.Simulators.Data;

/// <summary>
/// Reads top-level WHERE conjuncts such as <c>begin_time &gt;= '2022-03-01'</c>, <c>h1.end_time &gt; '…'</c>,
/// <c>t_min BETWEEN 59000 AND 59001</c> and turns them into bounds on each table's sort column, so the
/// evaluator scans only a slice of the rows. This is purely an optimisation: the evaluator still applies the
/// full WHERE clause, so any bound we cannot prove is simply not used.
/// </summary>
internal static class TimeNarrowing
{
    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm", "yyyy-MM-dd",
    ];

    private sealed record Source(SimTable Table, string Qualifier);

    /// <summary>Bounds per table; tables referenced more than once, or through outer joins, are left alone.</summary>
    public static Dictionary<SimTable, TimeBounds> Analyse(SelectStatement statement, SimCatalog catalog)
    {
        var result = new Dictionary<SimTable, TimeBounds>();
        var sources = new List<Source>();
        foreach (var item in statement.From)
        {
            if (!CollectInner(item, catalog, sources)) return result;
        }

        if (statement.Where is null || sources.Count == 0) return result;
        if (sources.GroupBy(s => s.Table).Any(g => g.Count() > 1)) return result;
        foreach (var conjunct in Conjuncts(statement.Where))
        {
            Apply(conjunct, sources, result);
        }

        return result;
    }

    private static bool CollectInner(FromItem item, SimCatalog catalog, List<Source> sources)
    {
        switch (item)
        {
            case TableRef t:
                var table = catalog.Find(t.Table.Schema?.Name, t.Table.Name.Name);
                if (table is null) return false;
                sources.Add(new Source(table, t.Alias?.Name ?? t.Table.Name.Name));
                return true;
            case JoinRef { Type: JoinType.Inner or JoinType.Cross } j:
                return CollectInner(j.Left, catalog, sources) && CollectInner(j.Right, catalog, sources);
            default:
                return false;
        }
    }

    private static IEnumerable<Expr> Conjuncts(Expr expr)
    {
        if (expr is AndExpr and)
        {
            foreach (var e in Conjuncts(and.Left)) yield return e;
            foreach (var e in Conjuncts(and.Right)) yield return e;
        }
        else
        {
            yield return expr;
        }
    }

    private static void Apply(Expr conjunct, List<Source> sources, Dictionary<SimTable, TimeBounds> result)
    {
        switch (conjunct)
        {
            case ComparisonExpr { Left: ColumnRef c } cmp when Constant(cmp.Right) is { } value:
                Bound(c, cmp.Operator, value, sources, result);
                break;
            case ComparisonExpr { Right: ColumnRef c } cmp when Constant(cmp.Left) is { } value:
                Bound(c, Flip(cmp.Operator), value, sources, result);
                break;
            case BetweenExpr { Negated: false, Operand: ColumnRef c } between
                when Constant(between.Low) is { } low && Constant(between.High) is { } high:
                Bound(c, ComparisonOperator.GreaterOrEqual, low, sources, result);
                Bound(c, ComparisonOperator.LessOrEqual, high, sources, result);
                break;
        }
    }

    private static void Bound(ColumnRef column, ComparisonOperator op, object constant, List<Source> sources,
        Dictionary<SimTable, TimeBounds> result)
    {
        if (op == ComparisonOperator.NotEqual) return;
        var owners = sources.Where(s => Owns(s, column)).ToList();
        if (owners.Count != 1) return;
        var table = owners[0].Table;
        var isStart = string.Equals(column.Name, table.TimeColumn, StringComparison.OrdinalIgnoreCase);
        var isEnd = !isStart && string.Equals(column.Name, table.EndColumn, StringComparison.OrdinalIgnoreCase);
        if (!isStart && !isEnd) return;
        var key = Key(table, constant);
        if (key is not { } k) return;
        if (!result.TryGetValue(table, out var bounds)) result[table] = bounds = new TimeBounds();
        var lower = op is ComparisonOperator.Greater or ComparisonOperator.GreaterOrEqual or ComparisonOperator.Equal;
        var upper = op is ComparisonOperator.Less or ComparisonOperator.LessOrEqual or ComparisonOperator.Equal;
        // start <= end always, and end - start <= MaxSpan: bounds on the end column translate to the sort column.
        if (lower) bounds.AtLeast(isStart ? k : k - table.MaxSpan);
        if (upper) bounds.AtMost(k);
    }

    private static bool Owns(Source source, ColumnRef column)
    {
        if (source.Table.Ordinal(column.Name) < 0) return false;
        var q = column.Qualifier;
        if (q is null) return true;
        return q.Name.Matches(source.Qualifier) || q.Name.Matches(source.Table.Name);
    }

    private static double? Key(SimTable table, object constant)
    {
        var column = table.Columns[table.Ordinal(table.TimeColumn!)];
        if (column.Xtype == "timestamp")
        {
            return constant is string s && TryParseTimestamp(s, out var t) ? t.Ticks : null;
        }

        return constant switch
        {
            double d => d,
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        };
    }

    private static bool TryParseTimestamp(string text, out DateTime value)
    {
        var span = text.AsSpan().Trim();
        if (span.EndsWith("Z", StringComparison.OrdinalIgnoreCase)) span = span[..^1];
        return DateTime.TryParseExact(span, TimestampFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out value);
    }

    private static object? Constant(Expr expr) => expr switch
    {
        StringLiteral s => s.Value,
        NumberLiteral n => n.Value,
        NegateExpr { Operand: NumberLiteral n } => -n.Value,
        _ => null,
    };

    private static ComparisonOperator Flip(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Less => ComparisonOperator.Greater,
        ComparisonOperator.LessOrEqual => ComparisonOperator.GreaterOrEqual,
        ComparisonOperator.Greater => ComparisonOperator.Less,
        ComparisonOperator.GreaterOrEqual => ComparisonOperator.LessOrEqual,
        _ => op,
    };
}
