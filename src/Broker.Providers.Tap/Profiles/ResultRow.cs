using System.Globalization;
using Broker.Core.Units;
using Broker.VoTable;

namespace Broker.Providers.Tap.Profiles;

/// <summary>
/// Typed, by-name access to the current row of a result. Values may arrive typed (VOTable, JSON) or as text
/// (CSV), so every getter accepts both.
/// </summary>
internal sealed class ResultRow
{
    private readonly Dictionary<string, int> _index = new(StringComparer.OrdinalIgnoreCase);
    // The mappers ask for the same column name objects on every row: found by reference, a lookup skips the
    // case-insensitive hash (a dozen lookups per record, thousands of records per answer). One row view per answer, one thread.
    private readonly Dictionary<string, int> _byReference = new(ReferenceEqualityComparer.Instance);
    // Cheaper still: a mapper asks for the same names in the same order on every row. The first row's lookups are
    // recorded; later rows walk that sequence and fall back to the dictionaries when a name differs (a branch taken).
    private readonly List<(string Column, int Index)> _sequence = [];
    private int _next;
    private bool _recording = true;
    private object?[] _values = [];

    public ResultRow(IReadOnlyList<TableField> fields)
    {
        for (var i = 0; i < fields.Count; i++) _index.TryAdd(fields[i].Name, i);
    }

    /// <summary>Points the view at a row (the reader's reused array).</summary>
    public void Set(object?[] values)
    {
        if (_next > 0) _recording = false; // the first row asked for something: its sequence is the one to follow
        _next = 0;
        _values = values;
    }

    public bool Has(string column) => _index.ContainsKey(column);

    public object? Raw(string column)
    {
        int i;
        if (_next < _sequence.Count && ReferenceEquals(_sequence[_next].Column, column))
            i = _sequence[_next++].Index;
        else
        {
            i = Lookup(column);
            if (_recording && _sequence.Count < 64)
            {
                _sequence.Add((column, i));
                _next = _sequence.Count;
            }
            else _next = int.MaxValue; // off the recorded path: the rest of this row looks names up
        }
        return i >= 0 && i < _values.Length ? _values[i] : null;
    }

    private int Lookup(string column)
    {
        if (!_byReference.TryGetValue(column, out var i))
        {
            i = _index.GetValueOrDefault(column, -1);
            if (_byReference.Count < 256) _byReference[column] = i; // a name built per row must not grow it without bound
        }
        return i;
    }

    public string? String(string column) => Raw(column) switch
    {
        null => null,
        string s => string.IsNullOrWhiteSpace(s) ? null : s.Trim(),
        DateTime dt => SolarTime.ToIso(new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc))),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var o => o.ToString(),
    };

    /// <summary>
    /// A region as text: a string as given (STC-S), a DALI array (<c>double[]</c> of a <c>polygon</c>/<c>circle</c>/<c>point</c>
    /// column) as its numbers separated by spaces; null when empty.
    /// </summary>
    public string? Region(string column) => Raw(column) switch
    {
        double[] d => d.Length == 0 ? null : string.Join(' ', d.Select(x => x.ToString("R", CultureInfo.InvariantCulture))),
        float[] f => f.Length == 0 ? null : string.Join(' ', f.Select(x => ((double)x).ToString("R", CultureInfo.InvariantCulture))),
        _ => String(column),
    };

    /// <summary>A number; null when empty or NaN (a VOTable null). A value that is not a number is a <see cref="FormatException"/>.</summary>
    public double? Double(string column) => Raw(column) switch
    {
        null => null,
        double d => double.IsFinite(d) ? d : null,
        float f => float.IsFinite(f) ? f : null,
        long l => l,
        int i => i,
        short s => s,
        byte b => b,
        string s when string.IsNullOrWhiteSpace(s) || s.Trim() is "NaN" or "nan" => null,
        string s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v
            : throw new FormatException($"column {column}: '{Shorten(s)}' is not a number"),
        var other => throw new FormatException($"column {column}: a {other.GetType().Name} is not a number"),
    };

    /// <summary>A UTC time; null when empty. A value that is not a time is a <see cref="FormatException"/>.</summary>
    public DateTimeOffset? Time(string column) => Raw(column) switch
    {
        null => null,
        DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
        DateTimeOffset dto => dto.ToUniversalTime(),
        string s when string.IsNullOrWhiteSpace(s) => null,
        string s => SolarTime.TryParse(s, out var t) ? t : throw new FormatException($"column {column}: '{Shorten(s)}' is not a time"),
        var other => throw new FormatException($"column {column}: a {other.GetType().Name} is not a time"),
    };

    /// <summary>The value of a column every row must have (a record id): a row without it is a <see cref="FormatException"/>.</summary>
    public string Required(string column) => String(column) ?? throw new FormatException($"column {column} is empty");

    /// <summary>The names among <paramref name="columns"/> the answer does not have.</summary>
    public IReadOnlyList<string> Missing(IEnumerable<string> columns) =>
        columns.Where(c => !Has(c)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
