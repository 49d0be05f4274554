using System.Text;

namespace Broker.VoTable;

/// <summary>
/// Streaming reader for RFC 4180 CSV (and, via <see cref="OpenTsvAsync"/>, backslash-escaped TSV) with a header row
/// of column names. CSV carries no types: columns named in <c>expectedFields</c> (matched case-insensitively) are
/// typed like VOTable values; other columns are strings. An unquoted empty field is null, a quoted empty field
/// (<c>""</c>) is an empty string.
/// </summary>
public sealed class CsvTableReader : ITableReader
{
    private enum State { Start, Unquoted, Quoted, QuoteInQuoted, Escape }

    private readonly StreamReader _text;
    private readonly bool _tsv;
    private readonly char _delimiter;
    private readonly char[] _buf = new char[16 * 1024];
    private readonly CharBuffer _record = new();
    private readonly List<(int Start, int Length, bool Quoted)> _cells = [];
    private int _pos, _len;
    private bool _eof, _skipLf;
    private ColumnSpec[] _columns = [];
    private object?[] _current = [];

    private CsvTableReader(Stream stream, bool tsv)
    {
        _text = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 16 * 1024, leaveOpen: true);
        _tsv = tsv;
        _delimiter = tsv ? '\t' : ',';
    }

    /// <inheritdoc />
    public IReadOnlyList<TableField> Fields { get; private set; } = [];

    /// <inheritdoc />
    public object?[] Current => _current;

    /// <inheritdoc />
    /// <remarks>Always null: CSV cannot carry a status.</remarks>
    public string? QueryStatus => null;

    /// <inheritdoc />
    public bool IsOverflow => false;

    /// <inheritdoc />
    public string? ErrorMessage => null;

    /// <summary>Opens a CSV stream and reads its header row.</summary>
    /// <param name="stream">The input (not closed by the reader).</param>
    /// <param name="expectedFields">Optional column metadata used to type values, matched by name.</param>
    /// <param name="cancellationToken">Cancels reading.</param>
    public static Task<CsvTableReader> OpenAsync(Stream stream, IReadOnlyList<TableField>? expectedFields = null, CancellationToken cancellationToken = default) =>
        OpenAsync(stream, expectedFields, tsv: false, cancellationToken);

    /// <summary>Opens a TSV stream (tab-separated, backslash escapes, no quoting) and reads its header row.</summary>
    public static Task<CsvTableReader> OpenTsvAsync(Stream stream, IReadOnlyList<TableField>? expectedFields = null, CancellationToken cancellationToken = default) =>
        OpenAsync(stream, expectedFields, tsv: true, cancellationToken);

    private static async Task<CsvTableReader> OpenAsync(Stream stream, IReadOnlyList<TableField>? expectedFields, bool tsv, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var reader = new CsvTableReader(stream, tsv);
        if (!await reader.ReadRecordAsync(ct).ConfigureAwait(false)) return reader;
        var fields = new TableField[reader._cells.Count];
        for (var i = 0; i < fields.Length; i++)
        {
            var name = reader.CellText(i).ToString();
            fields[i] = expectedFields?.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)) is { } known
                ? known with { Name = name }
                : new TableField(name, "char", "*");
        }
        reader.Fields = fields;
        reader._columns = ColumnSpec.Compile(fields);
        reader._current = new object?[fields.Length];
        return reader;
    }

    /// <inheritdoc />
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (!await ReadRecordAsync(cancellationToken).ConfigureAwait(false)) return false;
            if (_cells.Count == 1 && _cells[0].Length == 0 && !_cells[0].Quoted && _columns.Length != 1) continue; // blank line
            for (var i = 0; i < _current.Length; i++)
            {
                if (i >= _cells.Count)
                {
                    _current[i] = null;
                    continue;
                }
                _current[i] = CellParser.Parse(_columns[i], CellText(i), emptyIsString: _cells[i].Quoted);
            }
            return true;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _text.Dispose();
        return default;
    }

    private ReadOnlySpan<char> CellText(int i) => _record.Span.Slice(_cells[i].Start, _cells[i].Length);

    private async ValueTask<bool> ReadRecordAsync(CancellationToken ct)
    {
        _record.Clear();
        _cells.Clear();
        var state = State.Start;
        var cellStart = 0;
        var quoted = false;
        var any = false;
        while (true)
        {
            if (_pos == _len)
            {
                if (!_eof)
                {
                    _len = await _text.ReadAsync(_buf.AsMemory(), ct).ConfigureAwait(false);
                    _pos = 0;
                    if (_len == 0) _eof = true;
                }
                if (_eof)
                {
                    if (!any) return false;
                    if (state == State.Quoted) throw new TableFormatException("The CSV input ends inside a quoted field.");
                    EndCell(cellStart, quoted);
                    return true;
                }
            }
            var c = _buf[_pos++];
            if (_skipLf)
            {
                _skipLf = false;
                if (c == '\n') continue;
            }
            any = true;
            switch (state)
            {
                case State.Quoted:
                    if (c == '"') state = State.QuoteInQuoted;
                    else _record.AppendChar(c);
                    continue;
                case State.Escape:
                    _record.AppendChar(c switch { 't' => '\t', 'n' => '\n', 'r' => '\r', _ => c });
                    state = State.Unquoted;
                    continue;
                case State.QuoteInQuoted when c == '"':
                    _record.AppendChar('"');
                    state = State.Quoted;
                    continue;
            }
            if (c == _delimiter)
            {
                EndCell(cellStart, quoted);
                cellStart = _record.Length;
                quoted = false;
                state = State.Start;
            }
            else if (c is '\r' or '\n')
            {
                _skipLf = c == '\r';
                EndCell(cellStart, quoted);
                return true;
            }
            else if (c == '"' && state == State.Start && !_tsv)
            {
                quoted = true;
                state = State.Quoted;
            }
            else if (c == '\\' && _tsv)
            {
                state = State.Escape;
            }
            else
            {
                _record.AppendChar(c);
                state = State.Unquoted;
            }
        }
    }

    private void EndCell(int start, bool quoted) => _cells.Add((start, _record.Length - start, quoted));
}
