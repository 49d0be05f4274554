namespace Broker.VoTable;

/// <summary>
/// Tab-separated values writer (<c>text/tab-separated-values</c>): a header row, LF line ends, and tab, CR, LF and
/// backslash escaped as <c>\\t</c>, <c>\\r</c>, <c>\\n</c>, <c>\\\\</c>. Null cells and empty strings are both empty.
/// TSV cannot signal overflow or errors.
/// </summary>
public sealed class TsvTableWriter : ITableWriter
{
    private readonly DelimitedWriterCore _core;

    /// <summary>Creates a writer; the header row is written with the first row or on completion.</summary>
    /// <exception cref="ArgumentException">A field has an unsupported datatype or arraysize.</exception>
    public TsvTableWriter(Stream stream, IReadOnlyList<TableField> fields, TableWriterOptions? options = null) =>
        _core = new DelimitedWriterCore(stream, fields, options, tsv: true);

    /// <inheritdoc />
    public string ContentType => "text/tab-separated-values";

    /// <inheritdoc />
    public IReadOnlyList<TableField> Fields => _core.Fields;

    /// <inheritdoc />
    public long RowCount => _core.RowCount;

    /// <inheritdoc />
    public ValueTask WriteRowAsync(IReadOnlyList<object?> row, CancellationToken cancellationToken = default) =>
        _core.WriteRowAsync(row, cancellationToken);

    /// <inheritdoc />
    /// <remarks>The format cannot express overflow or INFOs; they are ignored.</remarks>
    public ValueTask CompleteAsync(bool overflow = false, IEnumerable<VoTableInfo>? trailingInfos = null, CancellationToken cancellationToken = default) =>
        _core.CompleteAsync(cancellationToken);

    /// <inheritdoc />
    /// <remarks>The format cannot express errors: the output simply ends (truncated).</remarks>
    public ValueTask FailAsync(string message, CancellationToken cancellationToken = default) =>
        _core.CompleteAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _core.DisposeAsync();
}
