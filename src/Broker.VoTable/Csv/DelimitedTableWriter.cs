namespace Broker.VoTable;

/// <summary>
/// The CSV (RFC 4180) and TSV writers' shared implementation: a header row of column names, then one line per row.
/// Neither format can express overflow, INFOs or errors.
/// </summary>
public abstract class DelimitedTableWriter : ITableWriter
{
    private readonly Utf8Output _out;
    private readonly ColumnSpec[] _columns;
    private readonly bool _tsv;
    private readonly CharBuffer _chars = new();
    private bool _started, _done;

    private protected DelimitedTableWriter(Stream stream, IReadOnlyList<TableField> fields, TableWriterOptions? options, bool tsv)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fields);
        Fields = fields.ToArray();
        try
        {
            _columns = ColumnSpec.Compile(Fields);
        }
        catch (TableFormatException e)
        {
            throw new ArgumentException(e.Message, nameof(fields), e);
        }
        _out = new Utf8Output(stream, (options ?? new TableWriterOptions()).FlushThresholdBytes);
        _tsv = tsv;
    }

    /// <inheritdoc />
    public abstract string ContentType { get; }

    /// <inheritdoc />
    public IReadOnlyList<TableField> Fields { get; }

    /// <inheritdoc />
    public long RowCount { get; private set; }

    private ReadOnlySpan<byte> NewLine => _tsv ? "\n"u8 : "\r\n"u8;

    /// <inheritdoc />
    public ValueTask WriteRowAsync(IReadOnlyList<object?> row, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (_done) throw new InvalidOperationException("The table has already been completed.");
        if (row.Count != _columns.Length)
            throw new ArgumentException($"Row has {row.Count} values but the table has {_columns.Length} columns.", nameof(row));
        EnsureHeader();
        var mark = _out.Mark;
        try
        {
            for (var i = 0; i < _columns.Length; i++)
            {
                if (i > 0) _out.Byte(_tsv ? (byte)'\t' : (byte)',');
                var v = row[i];
                if (v is null) continue;
                _chars.Clear();
                CellFormatter.Format(_columns[i], v, _chars, wordBooleans: true);
                WriteValue(_chars.Span, quoteEmpty: true);
            }
            _out.Raw(NewLine);
        }
        catch
        {
            _out.Reset(mark);
            throw;
        }
        RowCount++;
        return _out.FlushIfNeededAsync(cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>The format cannot express overflow or INFOs; they are ignored.</remarks>
    public ValueTask CompleteAsync(bool overflow = false, IEnumerable<VoTableInfo>? trailingInfos = null, CancellationToken cancellationToken = default) =>
        EndAsync(cancellationToken);

    /// <inheritdoc />
    /// <remarks>The format cannot express errors: the output simply ends (truncated).</remarks>
    public ValueTask FailAsync(string message, CancellationToken cancellationToken = default) => EndAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _out.FlushAsync(CancellationToken.None);

    private async ValueTask EndAsync(CancellationToken ct)
    {
        if (_done) throw new InvalidOperationException("The table has already been completed.");
        EnsureHeader();
        _done = true;
        await _out.FlushAsync(ct).ConfigureAwait(false);
    }

    private void EnsureHeader()
    {
        if (_started) return;
        _started = true;
        for (var i = 0; i < _columns.Length; i++)
        {
            if (i > 0) _out.Byte(_tsv ? (byte)'\t' : (byte)',');
            WriteValue(_columns[i].Name, quoteEmpty: false);
        }
        _out.Raw(NewLine);
    }

    private void WriteValue(ReadOnlySpan<char> s, bool quoteEmpty)
    {
        if (_tsv)
        {
            WriteTsv(s);
            return;
        }
        var needsQuotes = (s.IsEmpty && quoteEmpty) || s.IndexOfAny(",\"\r\n") >= 0
            || (!s.IsEmpty && (char.IsWhiteSpace(s[0]) || char.IsWhiteSpace(s[^1])));
        if (!needsQuotes)
        {
            _out.Text(s);
            return;
        }
        _out.Byte((byte)'"');
        int q;
        while ((q = s.IndexOf('"')) >= 0)
        {
            _out.Text(s[..(q + 1)]);
            _out.Byte((byte)'"');
            s = s[(q + 1)..];
        }
        _out.Text(s);
        _out.Byte((byte)'"');
    }

    private void WriteTsv(ReadOnlySpan<char> s)
    {
        int k;
        while ((k = s.IndexOfAny("\t\r\n\\")) >= 0)
        {
            _out.Text(s[..k]);
            _out.Raw(s[k] switch { '\t' => "\\t"u8, '\r' => "\\r"u8, '\n' => "\\n"u8, _ => "\\\\"u8 });
            s = s[(k + 1)..];
        }
        _out.Text(s);
    }
}
