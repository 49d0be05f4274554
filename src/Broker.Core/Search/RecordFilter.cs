using Broker.Core.Model;

namespace Broker.Core.Search;

/// <summary>
/// The broker's own check of returned records against a block: the time rule always, and every attribute of the block
/// on every record that carries its field — also when the provider claims to apply it. An attribute the provider does
/// not apply (<c>postFilter</c>) must be carried: a record without it cannot be shown to match and is rejected.
/// </summary>
public sealed class RecordFilter
{
    private readonly QueryBlock _block;
    private readonly TimeCondition _time;
    private readonly IReadOnlySet<QueryAttribute> _postFilter;
    private readonly QueryAttribute[] _checked;

    public RecordFilter(QueryBlock block, IReadOnlySet<QueryAttribute> postFilter)
    {
        _block = block;
        _time = TimeRule.For(block.Time);
        _postFilter = postFilter;
        _checked = block.SetAttributes().Where(a => a != QueryAttribute.Provider && QueryPlanner.PostFilterable.Contains(a)).ToArray();
    }

    /// <summary>True when the record satisfies the block.</summary>
    public bool Matches(DataRecord r)
    {
        if (r.Start is { } start && !_time.Matches(start, r.End)) return false;
        foreach (var a in _checked)
        {
            var verdict = Check(r, a);
            if (verdict == false || verdict is null && _postFilter.Contains(a)) return false;
        }
        return true;
    }

    /// <summary>Keeps the matching records; returns how many were rejected.</summary>
    public (List<DataRecord> Kept, int Rejected) Apply(IEnumerable<DataRecord> records)
    {
        var kept = new List<DataRecord>();
        var rejected = 0;
        foreach (var r in records)
        {
            if (Matches(r)) kept.Add(r);
            else rejected++;
        }
        return (kept, rejected);
    }

    /// <summary>True/false when the record carries the attribute's field; null when it does not.</summary>
    private bool? Check(DataRecord r, QueryAttribute a) => a switch
    {
        QueryAttribute.Source => Same(Vocabulary.Normalize(a, r.Source), _block.Source),
        QueryAttribute.Instrument => Same(r.Instrument, _block.Instrument),
        QueryAttribute.Detector => Same(r.Detector, _block.Detector),
        QueryAttribute.Physobs => Same(Vocabulary.Normalize(a, r.Physobs), _block.Physobs),
        QueryAttribute.Level => r.Level is null ? null : SameLevel(r.Level, _block.Level!),
        QueryAttribute.Wave => WaveMatches(r),
        QueryAttribute.WaveType => Same(r.WaveType, _block.Wave?.WaveType),
        _ => true,
    };

    private bool? WaveMatches(DataRecord r)
    {
        if (_block.Wave is not { } w || w.MinAngstrom <= 0 && double.IsPositiveInfinity(w.MaxAngstrom)) return true;
        if (r.WaveMin is null && r.WaveMax is null) return null;
        var min = r.WaveMin ?? r.WaveMax!.Value;
        return w.Overlaps(min, r.WaveMax ?? min);
    }

    private static bool? Same(string? value, string? wanted) =>
        wanted is null ? true : value is null ? null : string.Equals(value.Trim(), wanted.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>Levels compare loosely: "2", "L2" and "l2" are the same level (but LL02 is not 2).</summary>
    private static bool SameLevel(string value, string wanted)
    {
        static string Norm(string s) => s.Trim().TrimStart('L', 'l');
        return string.Equals(value.Trim(), wanted.Trim(), StringComparison.OrdinalIgnoreCase) ||
               string.Equals(Norm(value), Norm(wanted), StringComparison.OrdinalIgnoreCase) &&
               !value.Trim().StartsWith("LL", StringComparison.OrdinalIgnoreCase) && !wanted.Trim().StartsWith("LL", StringComparison.OrdinalIgnoreCase);
    }
}
