namespace Broker.Adql;

/// <summary>
/// The result of <see cref="AdqlEvaluator.Execute(SelectStatement, long?)"/>: output columns and a lazily
/// evaluated row sequence. <see cref="Overflow"/> is known once <see cref="Rows"/> has been enumerated to the end.
/// </summary>
public sealed class AdqlResult
{
    private readonly Func<IEnumerable<object?[]>> _source;
    private readonly long? _offset;
    private readonly long? _top;
    private readonly long? _maxRec;
    private bool _completed;
    private bool _overflow;

    internal AdqlResult(IReadOnlyList<AdqlColumn> columns, Func<IEnumerable<object?[]>> source, long? offset, long? top, long? maxRec)
    {
        Columns = columns;
        _source = source;
        _offset = offset;
        _top = top;
        _maxRec = maxRec;
    }

    /// <summary>Output column metadata (name, datatype, arraysize, xtype, unit).</summary>
    public IReadOnlyList<AdqlColumn> Columns { get; }

    /// <summary>
    /// Output rows, one value per column. Each enumeration re-runs the query; rows are produced on demand unless
    /// the query needs ORDER BY, DISTINCT or grouping.
    /// </summary>
    public IEnumerable<object?[]> Rows => Enumerate();

    /// <summary>Whether the last full enumeration of <see cref="Rows"/> has finished.</summary>
    public bool IsComplete => _completed;

    /// <summary>
    /// True when MAXREC cut the result short (more rows existed than were returned). TOP never sets it.
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="Rows"/> has not been enumerated to the end.</exception>
    public bool Overflow => _completed
        ? _overflow
        : throw new InvalidOperationException("Enumerate Rows to the end before reading Overflow.");

    /// <summary>Enumerates all rows into a list (after which <see cref="Overflow"/> is available).</summary>
    public IReadOnlyList<object?[]> ReadAll() => Rows.ToList();

    private IEnumerable<object?[]> Enumerate()
    {
        _completed = false;
        _overflow = false;
        long skipped = 0;
        long count = 0;
        if (_top is not 0)
        {
            foreach (var row in _source())
            {
                if (_offset is { } offset && skipped < offset)
                {
                    skipped++;
                    continue;
                }

                if (_maxRec is { } maxRec && count >= maxRec)
                {
                    _overflow = true;
                    break;
                }

                yield return row;
                count++;
                if (_top is { } top && count >= top)
                {
                    break;
                }
            }
        }

        _completed = true;
    }
}
