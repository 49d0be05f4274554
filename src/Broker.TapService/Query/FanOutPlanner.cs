using System.Globalization;
using Broker.Adql;
using Broker.Core.Units;
using Broker.Core.Validation;
using Broker.TapService.Schema;

namespace Broker.TapService.Query;

/// <summary>
/// Turns the WHERE clause of a query on a record table into a <see cref="FanOutPlan"/>: the clause is expanded into
/// OR branches (disjunctive normal form), and in each branch the comparisons of an indexed column with a literal
/// become attributes of the normalized query (time range, provider, source, instrument, detector, physobs, level,
/// wavelength range). A branch that contradicts a column's <see cref="ColumnDomain"/> (say <c>calib_level IS NULL</c>)
/// matches nothing and is dropped.
/// </summary>
public sealed class FanOutPlanner(int maxBlocks)
{
    private enum Role { TimeStart, TimeEnd, ProviderId, Source, Instrument, Detector, Physobs, Level, WaveMin, WaveMax }

    /// <summary>Which columns of each record table drive the fan-out, and how their values convert (Å per unit; MJD times).</summary>
    private static readonly Dictionary<string, Dictionary<string, (Role Role, double Scale)>> Roles = new(StringComparer.OrdinalIgnoreCase)
    {
        [RecordTables.Records.Name] = new(StringComparer.OrdinalIgnoreCase)
        {
            ["time_start"] = (Role.TimeStart, 0), ["time_end"] = (Role.TimeEnd, 0), ["provider"] = (Role.ProviderId, 0),
            ["source"] = (Role.Source, 0), ["instrument"] = (Role.Instrument, 0), ["detector"] = (Role.Detector, 0),
            ["physobs"] = (Role.Physobs, 0), ["data_level"] = (Role.Level, 0), ["wavemin"] = (Role.WaveMin, 1), ["wavemax"] = (Role.WaveMax, 1),
        },
        [RecordTables.ObsCore.Name] = new(StringComparer.OrdinalIgnoreCase)
        {
            ["t_min"] = (Role.TimeStart, 1), ["t_max"] = (Role.TimeEnd, 1), ["obs_collection"] = (Role.ProviderId, 0),
            ["facility_name"] = (Role.Source, 0), ["instrument_name"] = (Role.Instrument, 0),
            ["em_min"] = (Role.WaveMin, 1e10), ["em_max"] = (Role.WaveMax, 1e10),
        },
    };

    /// <summary>Plans the fan-out of <paramref name="where"/> over <paramref name="table"/>, whose rows are named by <paramref name="names"/> in the query (alias or table name).</summary>
    /// <exception cref="TapQueryException">The clause expands into more OR branches than a query may have.</exception>
    public FanOutPlan Plan(TapTable table, Expr? where, IReadOnlySet<string> names)
    {
        var roles = Roles[table.Name];
        var branches = where is null ? [[]] : Expand(where, table, names, roles);
        var blocks = new List<PlannedBlock>();
        HashSet<string>? providers = new(StringComparer.OrdinalIgnoreCase);
        foreach (var branch in branches)
        {
            var block = PlanBranch(branch, table, names, roles, out var branchProviders);
            if (block is null) continue;
            blocks.Add(block);
            if (branchProviders is null) providers = null;
            else providers?.UnionWith(branchProviders);
        }
        // Identical branches (e.g. from IN lists on columns the providers do not see) are asked once.
        var distinct = blocks.DistinctBy(b => (b.Input, b.Start, b.End)).ToList();
        return new FanOutPlan(distinct, providers, distinct.Count(b => !b.IsBounded));
    }

    private List<List<Expr>> Expand(Expr e, TapTable table, IReadOnlySet<string> names, Dictionary<string, (Role Role, double Scale)> roles)
    {
        switch (e)
        {
            case AndExpr a:
            {
                var left = Expand(a.Left, table, names, roles);
                var right = Expand(a.Right, table, names, roles);
                var product = new List<List<Expr>>(left.Count * right.Count);
                foreach (var l in left)
                    foreach (var r in right)
                        product.Add([.. l, .. r]);
                return Bounded(product);
            }
            case OrExpr o:
                return Bounded([.. Expand(o.Left, table, names, roles), .. Expand(o.Right, table, names, roles)]);
            case BetweenExpr { Negated: false } b:
                return [[new ComparisonExpr(ComparisonOperator.GreaterOrEqual, b.Operand, b.Low), new ComparisonExpr(ComparisonOperator.LessOrEqual, b.Operand, b.High)]];
            case InExpr { Negated: false } i when Column(i.Operand, names) is { } c && roles.ContainsKey(c):
                return Bounded(i.Values.Select(v => new List<Expr> { new ComparisonExpr(ComparisonOperator.Equal, i.Operand, v) }).ToList());
            default:
                return [[e]];
        }
    }

    private List<List<Expr>> Bounded(List<List<Expr>> branches) => branches.Count <= maxBlocks ? branches
        : throw new TapQueryException($"the WHERE clause expands into {branches.Count} OR branches; at most {maxBlocks} can be sent to the providers");

    private static PlannedBlock? PlanBranch(List<Expr> atoms, TapTable table, IReadOnlySet<string> names,
        Dictionary<string, (Role Role, double Scale)> roles, out HashSet<string>? providers)
    {
        providers = null;
        DateTimeOffset? start = null, end = null;
        double? waveLow = null, waveHigh = null;
        var text = new Dictionary<Role, string>();
        foreach (var atom in atoms)
        {
            if (Contradicts(atom, table, names)) return null;
            if (Comparison(atom, names) is not { } cmp || !roles.TryGetValue(cmp.Column, out var role)) continue;
            switch (role.Role)
            {
                case Role.TimeStart or Role.TimeEnd:
                    if (Time(cmp.Value, role.Scale) is not { } t) continue;
                    // A record overlaps [start, end] when it starts before end and ends after start; any lower bound on
                    // either time column implies "ends after", any upper bound implies "starts before".
                    if (cmp.Op is ComparisonOperator.Greater or ComparisonOperator.GreaterOrEqual or ComparisonOperator.Equal) start = Max(start, t);
                    if (cmp.Op is ComparisonOperator.Less or ComparisonOperator.LessOrEqual or ComparisonOperator.Equal) end = Min(end, t);
                    break;
                case Role.WaveMin or Role.WaveMax:
                    if (Number(cmp.Value) is not { } w) continue;
                    w *= role.Scale;
                    if (cmp.Op is ComparisonOperator.Greater or ComparisonOperator.GreaterOrEqual or ComparisonOperator.Equal) waveLow = Math.Max(waveLow ?? 0, w);
                    if (cmp.Op is ComparisonOperator.Less or ComparisonOperator.LessOrEqual or ComparisonOperator.Equal) waveHigh = Math.Min(waveHigh ?? double.MaxValue, w);
                    break;
                default:
                    if (cmp.Op != ComparisonOperator.Equal || cmp.Value is not StringLiteral s) continue;
                    if (text.TryGetValue(role.Role, out var existing) && existing != s.Value) return null;
                    text[role.Role] = s.Value;
                    break;
            }
        }
        if (start > end || waveLow > waveHigh) return null;
        if (text.TryGetValue(Role.ProviderId, out var provider)) providers = [provider];
        // The broker's time rule matches [begin, end) against [start, end); ADQL bounds may be inclusive, so the range
        // asked is one millisecond wider on each side (times are millisecond-precise): a superset, filtered exactly later.
        var input = new QueryBlockInput
        {
            Start = start is { } s0 ? SolarTime.ToIso(s0.AddMilliseconds(-1)) : null,
            End = end is { } e0 ? SolarTime.ToIso(e0.AddMilliseconds(1)) : null,
            Source = text.GetValueOrDefault(Role.Source),
            Instrument = text.GetValueOrDefault(Role.Instrument),
            Detector = text.GetValueOrDefault(Role.Detector),
            Physobs = text.GetValueOrDefault(Role.Physobs),
            Level = text.GetValueOrDefault(Role.Level),
            WaveMin = waveLow is null && waveHigh is null ? null : Format(Math.Max(0, waveLow ?? 0)),
            WaveMax = waveLow is null && waveHigh is null ? null : Format(waveHigh ?? double.MaxValue),
            WaveUnit = waveLow is null && waveHigh is null ? null : "Angstrom",
        };
        return new PlannedBlock(input, start, end);
    }

    /// <summary>True when the atom is false for every row the broker can produce (by the column's domain).</summary>
    private static bool Contradicts(Expr atom, TapTable table, IReadOnlySet<string> names)
    {
        switch (atom)
        {
            case IsNullExpr { Negated: false } n when Column(n.Operand, names) is { } c:
                return table.Find(c)?.Domain.NotNull == true;
            case BetweenExpr { Negated: true } b when Column(b.Operand, names) is { } c && table.Find(c)?.Domain is { Min: { } lo, Max: { } hi }:
                return Number(b.Low) is { } low && Number(b.High) is { } high && low <= lo && hi <= high;
            case InExpr { Negated: true } i when Column(i.Operand, names) is { } c && table.Find(c)?.Domain is { Values: { } domain }:
            {
                var listed = i.Values.OfType<StringLiteral>().Select(v => v.Value).ToHashSet(StringComparer.Ordinal);
                return domain.All(listed.Contains);
            }
            default:
                if (Comparison(atom, names) is { } cmp && table.Find(cmp.Column)?.Domain is { } d && Number(cmp.Value) is { } v)
                {
                    return cmp.Op switch
                    {
                        ComparisonOperator.Less => d.Min >= v,
                        ComparisonOperator.LessOrEqual => d.Min > v,
                        ComparisonOperator.Greater => d.Max <= v,
                        ComparisonOperator.GreaterOrEqual => d.Max < v,
                        ComparisonOperator.Equal => d.Min > v || d.Max < v,
                        _ => false,
                    };
                }
                return false;
        }
    }

    /// <summary>A comparison of a column of the record table with a literal, the column on the left.</summary>
    private static (string Column, ComparisonOperator Op, Expr Value)? Comparison(Expr atom, IReadOnlySet<string> names)
    {
        if (atom is not ComparisonExpr c) return null;
        if (Column(c.Left, names) is { } left && IsLiteral(c.Right)) return (left, c.Operator, c.Right);
        if (Column(c.Right, names) is { } right && IsLiteral(c.Left)) return (right, Flip(c.Operator), c.Left);
        return null;
    }

    private static ComparisonOperator Flip(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Less => ComparisonOperator.Greater,
        ComparisonOperator.LessOrEqual => ComparisonOperator.GreaterOrEqual,
        ComparisonOperator.Greater => ComparisonOperator.Less,
        ComparisonOperator.GreaterOrEqual => ComparisonOperator.LessOrEqual,
        _ => op,
    };

    private static bool IsLiteral(Expr e) => e is StringLiteral or NumberLiteral || e is NegateExpr { Operand: NumberLiteral };

    /// <summary>The column name when <paramref name="e"/> names a column of the record table (unqualified or by its name/alias).</summary>
    private static string? Column(Expr e, IReadOnlySet<string> names) =>
        e is ColumnRef r && (r.Qualifier is null || names.Contains(r.Qualifier.Name.Name)) ? r.Name : null;

    private static double? Number(Expr e) => e switch
    {
        NumberLiteral n => n.Value,
        NegateExpr { Operand: NumberLiteral n } => -n.Value,
        _ => null,
    };

    /// <summary>A time literal: an ISO string for timestamp columns, an MJD number for ObsCore's t_min/t_max.</summary>
    private static DateTimeOffset? Time(Expr value, double mjdScale)
    {
        if (mjdScale == 0)
            return value is StringLiteral s && SolarTime.TryParse(s.Value, out var t) ? t : null;
        return Number(value) is { } mjd && double.IsFinite(mjd) ? SolarTime.FromModifiedJulianDay(Math.Clamp(mjd, -600_000, 2_900_000)) : null;
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;

    private static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
