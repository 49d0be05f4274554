namespace Broker.VoTable;

/// <summary>
/// RFC 4180 CSV writer: a header row of column names, CRLF line ends, fields quoted when they contain a comma,
/// quote, CR/LF or edge whitespace; null cells are empty and empty strings are written as <c>""</c>. Booleans are
/// <c>true</c>/<c>false</c>; numbers and timestamps as in VOTable. CSV cannot signal overflow or errors.
/// </summary>
public sealed class CsvTableWriter : ITableWriter
{
    private readonly DelimitedWriterCore _core;

    /// <summary>Creates a writer; the header row is written with the first row or on completion.</summary>
    /// <exception cref="ArgumentException">A field has an unsupported datatype or arraysize.</exception>
    public CsvTableWriter(Stream stream, IReadOnlyList<TableField> fields, TableWriterOptions? options = null) =>
        _core = new DelimitedWriterCore(stream, fields, options, tsv: false);

    /// <inheritdoc />
    public string ContentType => "text/csv;header=present";

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
