namespace Broker.VoTable;

/// <summary>
/// Tab-separated values writer (<c>text/tab-separated-values</c>): a header row, LF line ends, and tab, CR, LF and
/// backslash escaped as <c>\\t</c>, <c>\\r</c>, <c>\\n</c>, <c>\\\\</c>. Null cells and empty strings are both empty.
/// TSV cannot signal overflow or errors.
/// </summary>
public sealed class TsvTableWriter : DelimitedTableWriter
{
    /// <summary>Creates a writer; the header row is written with the first row or on completion.</summary>
    /// <exception cref="ArgumentException">A field has an unsupported datatype or arraysize.</exception>
    public TsvTableWriter(Stream stream, IReadOnlyList<TableField> fields, TableWriterOptions? options = null)
        : base(stream, fields, options, tsv: true)
    {
    }

    /// <inheritdoc />
    public override string ContentType => "text/tab-separated-values";
}
