namespace Broker.VoTable;

/// <summary>
/// RFC 4180 CSV writer: a header row of column names, CRLF line ends, fields quoted when they contain a comma,
/// quote, CR/LF or edge whitespace; null cells are empty and empty strings are written as <c>""</c>. Booleans are
/// <c>true</c>/<c>false</c>; numbers and timestamps as in VOTable. CSV cannot signal overflow or errors.
/// </summary>
public sealed class CsvTableWriter : DelimitedTableWriter
{
    /// <summary>Creates a writer; the header row is written with the first row or on completion.</summary>
    /// <exception cref="ArgumentException">A field has an unsupported datatype or arraysize.</exception>
    public CsvTableWriter(Stream stream, IReadOnlyList<TableField> fields, TableWriterOptions? options = null)
        : base(stream, fields, options, tsv: false)
    {
    }

    /// <inheritdoc />
    public override string ContentType => "text/csv;header=present";
}
