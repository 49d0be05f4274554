using System.Buffers.Text;
using System.Text;

namespace Broker.VoTable;

/// <summary>
/// Streaming VOTable 1.4 writer (namespace <c>http://www.ivoa.net/xml/VOTable/v1.3</c>): one
/// <c>RESOURCE type="results"</c> with <c>QUERY_STATUS=OK</c> before the TABLE, rows as TABLEDATA, BINARY or
/// BINARY2, and trailing OVERFLOW / ERROR INFOs. Output is UTF-8 without BOM, invariant culture, and is written
/// to the stream whenever the buffer passes <see cref="TableWriterOptions.FlushThresholdBytes"/>.
/// </summary>
public sealed class VoTableWriter : ITableWriter
{
    /// <summary>The XML namespace written (VOTable 1.3 schema namespace, also used by 1.4).</summary>
    public const string Namespace = "http://www.ivoa.net/xml/VOTable/v1.3";

    private const int Base64LineBytes = 57; // 76 characters per line
    private enum State { NotStarted, Rows, Done }

    private readonly Utf8Output _out;
    private readonly ColumnSpec[] _columns;
    private readonly TableField[] _fields;
    private readonly VoTableSerialization _serialization;
    private readonly TableWriterOptions _options;
    private readonly BinaryRowEncoder? _encoder;
    private readonly CharBuffer _chars = new();
    private State _state;

    /// <summary>Creates a writer; nothing is written until the first row, <see cref="CompleteAsync"/> or <see cref="FailAsync"/>.</summary>
    /// <param name="stream">Destination (not closed by the writer).</param>
    /// <param name="fields">Column metadata.</param>
    /// <param name="serialization">Row serialization.</param>
    /// <param name="options">Optional INFOs, description, flush threshold.</param>
    /// <param name="contentType">Content type to report; defaults to <c>application/x-votable+xml</c> (with
    /// <c>;serialization=BINARY|BINARY2</c> for the binary forms).</param>
    /// <exception cref="ArgumentException">A field has an unsupported datatype or arraysize.</exception>
    public VoTableWriter(Stream stream, IReadOnlyList<TableField> fields, VoTableSerialization serialization = VoTableSerialization.TableData,
        TableWriterOptions? options = null, string? contentType = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fields);
        _options = options ?? new TableWriterOptions();
        _out = new Utf8Output(stream, _options.FlushThresholdBytes);
        _serialization = serialization;
        _fields = fields.ToArray();
        try
        {
            _columns = ColumnSpec.Compile(_fields);
        }
        catch (TableFormatException e)
        {
            throw new ArgumentException(e.Message, nameof(fields), e);
        }
        if (serialization == VoTableSerialization.Binary) AssignIntegerNulls();
        if (serialization != VoTableSerialization.TableData)
            _encoder = new BinaryRowEncoder(_columns, serialization == VoTableSerialization.Binary2);
        ContentType = contentType ?? serialization switch
        {
            VoTableSerialization.Binary => "application/x-votable+xml;serialization=BINARY",
            VoTableSerialization.Binary2 => "application/x-votable+xml;serialization=BINARY2",
            _ => "application/x-votable+xml",
        };
    }

    /// <inheritdoc />
    public string ContentType { get; }

    /// <summary>Column metadata as written (for BINARY, integer columns get a <c>VALUES null</c> if they had none).</summary>
    public IReadOnlyList<TableField> Fields => _fields;

    /// <inheritdoc />
    public long RowCount { get; private set; }

    /// <inheritdoc />
    public ValueTask WriteRowAsync(IReadOnlyList<object?> row, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (_state == State.Done) throw new InvalidOperationException("The VOTable has already been completed.");
        if (row.Count != _columns.Length)
            throw new ArgumentException($"Row has {row.Count} values but the table has {_columns.Length} columns.", nameof(row));
        if (_state == State.NotStarted) WriteHeader();
        if (_encoder is null) WriteTableDataRow(row);
        else
        {
            _encoder.EncodeRow(row);
            if (_encoder.Pending.Length >= 64 * Base64LineBytes) WriteBase64(final: false);
        }
        RowCount++;
        return _out.FlushIfNeededAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask CompleteAsync(bool overflow = false, IEnumerable<VoTableInfo>? trailingInfos = null, CancellationToken cancellationToken = default)
    {
        if (_state == State.Done) throw new InvalidOperationException("The VOTable has already been completed.");
        if (_state == State.NotStarted) WriteHeader();
        WriteTableEnd();
        if (overflow) WriteInfo(new VoTableInfo(QueryStatuses.InfoName, QueryStatuses.Overflow));
        foreach (var info in trailingInfos ?? []) WriteInfo(info);
        WriteDocumentEnd();
        await _out.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Before any row this writes the error document (no TABLE); after rows it closes the TABLE and
    /// appends <c>&lt;INFO name="QUERY_STATUS" value="ERROR"&gt;message&lt;/INFO&gt;</c>.</remarks>
    public async ValueTask FailAsync(string message, CancellationToken cancellationToken = default)
    {
        if (_state == State.Done) throw new InvalidOperationException("The VOTable has already been completed.");
        if (_state == State.NotStarted)
        {
            _state = State.Done;
            WriteErrorDocument(_out, message, _options.Infos);
        }
        else
        {
            WriteTableEnd();
            WriteErrorInfo(_out, message);
            WriteDocumentEnd();
        }
        await _out.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes any buffered output; does not complete the document.</summary>
    public async ValueTask DisposeAsync() => await _out.FlushAsync(CancellationToken.None).ConfigureAwait(false);

    /// <summary>
    /// Writes a complete error VOTable: <c>RESOURCE type="results"</c> holding
    /// <c>&lt;INFO name="QUERY_STATUS" value="ERROR"&gt;message&lt;/INFO&gt;</c> and no TABLE. Only I/O errors of
    /// <paramref name="stream"/> can make it fail.
    /// </summary>
    public static async Task WriteErrorDocumentAsync(Stream stream, string? message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var bytes = CreateErrorDocument(message);
        await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Returns the bytes of an error VOTable (see <see cref="WriteErrorDocumentAsync"/>); never throws.</summary>
    public static byte[] CreateErrorDocument(string? message, IEnumerable<VoTableInfo>? infos = null)
    {
        try
        {
            var ms = new MemoryStream();
            var output = new Utf8Output(ms, 1 << 20);
            WriteErrorDocument(output, message, infos);
            output.FlushAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
            return ms.ToArray();
        }
        catch (Exception)
        {
            return Encoding.UTF8.GetBytes(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<VOTABLE version=\"1.4\" xmlns=\"" + Namespace + "\">\n<RESOURCE type=\"results\">\n" +
                "<INFO name=\"QUERY_STATUS\" value=\"ERROR\">Internal error while reporting an error.</INFO>\n</RESOURCE>\n</VOTABLE>\n");
        }
    }

    private static void WriteErrorDocument(Utf8Output o, string? message, IEnumerable<VoTableInfo>? infos)
    {
        WriteDocumentStart(o);
        WriteErrorInfo(o, message);
        foreach (var info in infos ?? []) WriteInfo(o, info);
        o.Raw("</RESOURCE>\n</VOTABLE>\n"u8);
    }

    private static void WriteDocumentStart(Utf8Output o) =>
        o.Raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<VOTABLE version=\"1.4\" xmlns=\"http://www.ivoa.net/xml/VOTable/v1.3\">\n<RESOURCE type=\"results\">\n"u8);

    private static void WriteErrorInfo(Utf8Output o, string? message)
    {
        o.Raw("<INFO name=\"QUERY_STATUS\" value=\"ERROR\">"u8);
        o.Xml(string.IsNullOrWhiteSpace(message) ? "Unknown error." : message);
        o.Raw("</INFO>\n"u8);
    }

    private void WriteInfo(VoTableInfo info) => WriteInfo(_out, info);

    private static void WriteInfo(Utf8Output o, VoTableInfo info)
    {
        o.Raw("<INFO name=\""u8);
        o.Xml(info.Name ?? string.Empty, attribute: true);
        o.Raw("\" value=\""u8);
        o.Xml(info.Value ?? string.Empty, attribute: true);
        if (string.IsNullOrEmpty(info.Content))
        {
            o.Raw("\"/>\n"u8);
            return;
        }
        o.Raw("\">"u8);
        o.Xml(info.Content);
        o.Raw("</INFO>\n"u8);
    }

    private void WriteHeader()
    {
        _state = State.Rows;
        WriteDocumentStart(_out);
        if (!string.IsNullOrEmpty(_options.Description)) WriteElement("DESCRIPTION", _options.Description);
        WriteInfo(new VoTableInfo(QueryStatuses.InfoName, QueryStatuses.Ok));
        foreach (var info in _options.Infos) WriteInfo(info);
        _out.Raw("<TABLE"u8);
        if (!string.IsNullOrEmpty(_options.TableName)) Attribute("name", _options.TableName);
        _out.Raw(">\n"u8);
        foreach (var f in _fields) WriteField(f);
        _out.Raw("<DATA>\n"u8);
        _out.Raw(_serialization switch
        {
            VoTableSerialization.Binary => "<BINARY>\n<STREAM encoding=\"base64\">\n"u8,
            VoTableSerialization.Binary2 => "<BINARY2>\n<STREAM encoding=\"base64\">\n"u8,
            _ => "<TABLEDATA>\n"u8,
        });
    }

    private void WriteField(TableField f)
    {
        _out.Raw("<FIELD"u8);
        Attribute("name", f.Name);
        Attribute("datatype", f.Datatype);
        var isChar = ColumnSpec.ParseDatatype(f.Datatype) is ColumnKind.Char or ColumnKind.UnicodeChar;
        if (!string.IsNullOrEmpty(f.Arraysize) && !(isChar && f.Arraysize.Trim() == "1")) Attribute("arraysize", f.Arraysize);
        Attribute("xtype", f.Xtype);
        Attribute("unit", f.Unit);
        Attribute("ucd", f.Ucd);
        Attribute("utype", f.Utype);
        if (string.IsNullOrEmpty(f.Description) && string.IsNullOrEmpty(f.NullValue))
        {
            _out.Raw("/>\n"u8);
            return;
        }
        _out.Raw(">\n"u8);
        if (!string.IsNullOrEmpty(f.Description)) WriteElement("DESCRIPTION", f.Description);
        if (!string.IsNullOrEmpty(f.NullValue))
        {
            _out.Raw("<VALUES"u8);
            Attribute("null", f.NullValue);
            _out.Raw("/>\n"u8);
        }
        _out.Raw("</FIELD>\n"u8);
    }

    private void Attribute(string name, string? value)
    {
        if (value is null) return;
        _out.Byte((byte)' ');
        _out.Text(name);
        _out.Raw("=\""u8);
        _out.Xml(value, attribute: true);
        _out.Byte((byte)'"');
    }

    private void WriteElement(string name, string content)
    {
        _out.Byte((byte)'<');
        _out.Text(name);
        _out.Byte((byte)'>');
        _out.Xml(content);
        _out.Raw("</"u8);
        _out.Text(name);
        _out.Raw(">\n"u8);
    }

    private void WriteTableDataRow(IReadOnlyList<object?> row)
    {
        var mark = _out.Mark;
        try
        {
            _out.Raw("<TR>"u8);
            for (var i = 0; i < _columns.Length; i++)
            {
                var v = row[i];
                if (v is null)
                {
                    _out.Raw("<TD/>"u8);
                    continue;
                }
                _chars.Clear();
                CellFormatter.Format(_columns[i], v, _chars);
                _out.Raw("<TD>"u8);
                _out.Xml(_chars.Span);
                _out.Raw("</TD>"u8);
            }
            _out.Raw("</TR>\n"u8);
        }
        catch
        {
            _out.Reset(mark);
            throw;
        }
    }

    private void WriteBase64(bool final)
    {
        var pending = _encoder!.Pending;
        var consumed = 0;
        while (pending.Length - consumed >= Base64LineBytes || (final && consumed < pending.Length))
        {
            var chunk = pending.Slice(consumed, Math.Min(Base64LineBytes, pending.Length - consumed));
            var dest = _out.GetSpan(80);
            Base64.EncodeToUtf8(chunk, dest, out _, out var written);
            dest[written] = (byte)'\n';
            _out.Advance(written + 1);
            consumed += chunk.Length;
        }
        _encoder.Consume(consumed);
    }

    private void WriteTableEnd()
    {
        _state = State.Done;
        switch (_serialization)
        {
            case VoTableSerialization.TableData:
                _out.Raw("</TABLEDATA>\n</DATA>\n</TABLE>\n"u8);
                break;
            default:
                WriteBase64(final: true);
                _out.Raw(_serialization == VoTableSerialization.Binary
                    ? "</STREAM>\n</BINARY>\n</DATA>\n</TABLE>\n"u8
                    : "</STREAM>\n</BINARY2>\n</DATA>\n</TABLE>\n"u8);
                break;
        }
    }

    private void WriteDocumentEnd() => _out.Raw("</RESOURCE>\n</VOTABLE>\n"u8);

    private void AssignIntegerNulls()
    {
        for (var i = 0; i < _columns.Length; i++)
        {
            var c = _columns[i];
            if (!c.IsInteger || c.NullInteger is not null) continue;
            long n = c.Kind switch
            {
                ColumnKind.UnsignedByte => byte.MaxValue,
                ColumnKind.Short => short.MinValue,
                ColumnKind.Int => int.MinValue,
                _ => long.MinValue,
            };
            _fields[i] = _fields[i] with { NullValue = n.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            c.NullInteger = n;
        }
    }
}
