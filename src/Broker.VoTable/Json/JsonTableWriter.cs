using System.Text.Encodings.Web;
using System.Text.Json;

namespace Broker.VoTable;

/// <summary>
/// Writes the de-facto TAP JSON format
/// <c>{"metadata":[{"name","datatype","arraysize","xtype","unit","ucd","utype","description"}],"data":[[...]]}</c>.
/// Numbers are JSON numbers (NaN as null, infinities as the strings <c>"+Inf"</c>/<c>"-Inf"</c>), timestamps are
/// ISO strings, arrays are JSON arrays. Overflow and errors are added after <c>data</c> as
/// <c>"query_status":"OVERFLOW"|"ERROR"</c> and <c>"error_message"</c>.
/// </summary>
public sealed class JsonTableWriter : ITableWriter
{
    private readonly Stream _stream;
    private readonly Utf8JsonWriter _json;
    private readonly ColumnSpec[] _columns;
    private readonly TableField[] _fields;
    private readonly int _threshold;
    private bool _started, _done;

    /// <summary>Creates a writer; nothing is written until the first row or completion.</summary>
    /// <exception cref="ArgumentException">A field has an unsupported datatype or arraysize.</exception>
    public JsonTableWriter(Stream stream, IReadOnlyList<TableField> fields, TableWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fields);
        _stream = stream;
        _fields = fields.ToArray();
        try
        {
            _columns = ColumnSpec.Compile(_fields);
        }
        catch (TableFormatException e)
        {
            throw new ArgumentException(e.Message, nameof(fields), e);
        }
        _threshold = (options ?? new TableWriterOptions()).FlushThresholdBytes;
        _json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <inheritdoc />
    public string ContentType => "application/json";

    /// <inheritdoc />
    public IReadOnlyList<TableField> Fields => _fields;

    /// <inheritdoc />
    public long RowCount { get; private set; }

    /// <inheritdoc />
    public ValueTask WriteRowAsync(IReadOnlyList<object?> row, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (_done) throw new InvalidOperationException("The table has already been completed.");
        if (row.Count != _columns.Length)
            throw new ArgumentException($"Row has {row.Count} values but the table has {_columns.Length} columns.", nameof(row));
        EnsureStarted();
        _json.WriteStartArray();
        for (var i = 0; i < _columns.Length; i++) WriteValue(_columns[i], row[i]);
        _json.WriteEndArray();
        RowCount++;
        return _json.BytesPending >= _threshold ? new ValueTask(_json.FlushAsync(cancellationToken)) : default;
    }

    /// <inheritdoc />
    public async ValueTask CompleteAsync(bool overflow = false, IEnumerable<VoTableInfo>? trailingInfos = null, CancellationToken cancellationToken = default)
    {
        if (_done) throw new InvalidOperationException("The table has already been completed.");
        EnsureStarted();
        _done = true;
        _json.WriteEndArray();
        if (overflow) _json.WriteString("query_status", QueryStatuses.Overflow);
        _json.WriteEndObject();
        await FinishAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask FailAsync(string message, CancellationToken cancellationToken = default)
    {
        if (_done) throw new InvalidOperationException("The table has already been completed.");
        EnsureStarted();
        _done = true;
        _json.WriteEndArray();
        _json.WriteString("query_status", QueryStatuses.Error);
        _json.WriteString("error_message", string.IsNullOrWhiteSpace(message) ? "Unknown error." : message);
        _json.WriteEndObject();
        await FinishAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _json.FlushAsync().ConfigureAwait(false);
        await _json.DisposeAsync().ConfigureAwait(false);
    }

    private async Task FinishAsync(CancellationToken ct)
    {
        await _json.FlushAsync(ct).ConfigureAwait(false);
        await _stream.WriteAsync("\n"u8.ToArray(), ct).ConfigureAwait(false);
        await _stream.FlushAsync(ct).ConfigureAwait(false);
    }

    private void EnsureStarted()
    {
        if (_started) return;
        _started = true;
        _json.WriteStartObject();
        _json.WriteStartArray("metadata");
        foreach (var f in _fields)
        {
            _json.WriteStartObject();
            _json.WriteString("name", f.Name);
            _json.WriteString("datatype", f.Datatype);
            var isChar = ColumnSpec.ParseDatatype(f.Datatype) is ColumnKind.Char or ColumnKind.UnicodeChar;
            WriteOptional("arraysize", isChar && f.Arraysize?.Trim() == "1" ? null : f.Arraysize);
            WriteOptional("xtype", f.Xtype);
            WriteOptional("unit", f.Unit);
            WriteOptional("ucd", f.Ucd);
            WriteOptional("utype", f.Utype);
            WriteOptional("description", f.Description);
            _json.WriteEndObject();
        }
        _json.WriteEndArray();
        _json.WriteStartArray("data");
    }

    private void WriteOptional(string name, string? value)
    {
        if (value is null) _json.WriteNull(name);
        else _json.WriteString(name, value);
    }

    private void WriteValue(ColumnSpec c, object? v)
    {
        if (v is null)
        {
            _json.WriteNullValue();
            return;
        }
        if (c.IsString)
        {
            _json.WriteStringValue(ValueConverter.ToText(v));
            return;
        }
        if (c.IsArray)
        {
            _json.WriteStartArray();
            foreach (var item in ValueConverter.AsList(v)) WriteScalar(c, item);
            _json.WriteEndArray();
            return;
        }
        WriteScalar(c, v);
    }

    private void WriteScalar(ColumnSpec c, object? v)
    {
        if (v is null)
        {
            _json.WriteNullValue();
            return;
        }
        switch (c.Kind)
        {
            case ColumnKind.Boolean:
            case ColumnKind.Bit:
                _json.WriteBooleanValue(ValueConverter.ToBool(c, v));
                return;
            case ColumnKind.Float:
            case ColumnKind.Double:
            case ColumnKind.FloatComplex:
            case ColumnKind.DoubleComplex:
                var d = ValueConverter.ToDouble(c, v);
                if (double.IsNaN(d)) _json.WriteNullValue();
                else if (double.IsInfinity(d)) _json.WriteStringValue(d > 0 ? "+Inf" : "-Inf");
                else if (c.Kind is ColumnKind.Float or ColumnKind.FloatComplex) _json.WriteNumberValue((float)d);
                else _json.WriteNumberValue(d);
                return;
            default:
                _json.WriteNumberValue(ValueConverter.ToInt64(c, v));
                return;
        }
    }
}
