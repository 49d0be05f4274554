using Broker.Adql;

namespace Broker.Simulators.Data;

/// <summary>
/// One generated, immutable table. Rows are arrays aligned with <see cref="Columns"/>; values are
/// <see cref="string"/>, <see cref="long"/>, <see cref="double"/>, UTC <see cref="DateTime"/> or null.
/// When <see cref="TimeColumn"/> is set the rows are sorted ascending by that column, which lets the query path
/// narrow a time-bounded query by binary search before the ADQL evaluator sees the rows.
/// </summary>
public sealed class SimTable
{
    private readonly Dictionary<string, int> _ordinals;

    /// <summary>Creates a table.</summary>
    /// <param name="schema">Schema name.</param>
    /// <param name="name">Table name.</param>
    /// <param name="description">Description for /tables.</param>
    /// <param name="columns">Columns.</param>
    /// <param name="rows">Rows, sorted by <paramref name="timeColumn"/> when it is given.</param>
    /// <param name="timeColumn">Sort column (timestamp or double), or null.</param>
    /// <param name="endColumn">Column holding the end of each row's interval (same type as the time column), or null.</param>
    public SimTable(string schema, string name, string description, IReadOnlyList<SimColumn> columns,
        IReadOnlyList<object?[]> rows, string? timeColumn = null, string? endColumn = null)
    {
        Schema = schema;
        Name = name;
        Description = description;
        Columns = columns;
        Rows = rows;
        _ordinals = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < columns.Count; i++) _ordinals[columns[i].Name] = i;
        TimeColumn = timeColumn;
        EndColumn = endColumn;
        AdqlColumns = columns.Select(c => new AdqlColumn(c.Name, c.Datatype, c.Arraysize, c.Xtype, c.Unit, c.Description)).ToArray();
        if (timeColumn is not null && endColumn is not null)
        {
            int t = Ordinal(timeColumn), e = Ordinal(endColumn);
            MaxSpan = rows.Count == 0 ? 0 : rows.Max(r => TimeKey(r[e]) - TimeKey(r[t]));
        }
    }

    /// <summary>Schema name, e.g. <c>soar</c>, <c>ivoa</c>, <c>nrh</c>.</summary>
    public string Schema { get; }

    /// <summary>Table name without schema, e.g. <c>v_sc_data_item</c>.</summary>
    public string Name { get; }

    /// <summary><c>schema.name</c>.</summary>
    public string QualifiedName => Schema + "." + Name;

    /// <summary>Description written to /tables.</summary>
    public string Description { get; }

    /// <summary>Columns, in order.</summary>
    public IReadOnlyList<SimColumn> Columns { get; }

    /// <summary>Rows (never modified after generation).</summary>
    public IReadOnlyList<object?[]> Rows { get; }

    /// <summary>Column by which rows are sorted ascending (a timestamp or a double JD/MJD column), or null.</summary>
    public string? TimeColumn { get; }

    /// <summary>Column holding the end of each row's time interval, or null.</summary>
    public string? EndColumn { get; }

    /// <summary>Largest end − start over all rows, in <see cref="TimeKey"/> units.</summary>
    internal double MaxSpan { get; }

    internal IReadOnlyList<AdqlColumn> AdqlColumns { get; }

    /// <summary>Zero-based index of a column (case-insensitive), or -1.</summary>
    public int Ordinal(string column) => _ordinals.TryGetValue(column, out var i) ? i : -1;

    /// <summary>Orderable key of a time value: ticks for timestamps, the number itself for JD/MJD doubles.</summary>
    internal static double TimeKey(object? value) => value switch
    {
        DateTime d => d.Ticks,
        double x => x,
        long l => l,
        _ => double.NaN,
    };
}
