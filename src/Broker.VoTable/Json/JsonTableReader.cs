using System.Text;
using System.Text.Json;

namespace Broker.VoTable;

/// <summary>
/// Streaming reader of the TAP JSON tables built on <see cref="Utf8JsonReader"/>: only one row needs to be buffered
/// at a time. Two shapes are read: ESAC TAP+ (<c>{"metadata":[...],"data":[[...],...]}</c>, trailing
/// <c>"query_status"</c>/<c>"error_message"</c>) and the DALI/DaCHS one (<c>{"contains":"table","columns":[...],
/// "data":[...],"queryStatus":"OK"|"Overflow"}</c>). Values are typed from the column datatypes like VOTable values.
/// Any other shape — rows without column descriptions, no data member — is a <see cref="TableFormatException"/>
/// naming what is missing, never an empty table.
/// </summary>
public sealed class JsonTableReader : ITableReader
{
    private enum Phase { Root, Data, AfterData, Finished }
    private enum Step { Progress, NeedMore, Row }

    private readonly Stream _stream;
    private byte[] _buf = new byte[64 * 1024];
    private int _start, _end;
    private bool _final, _rootStarted;
    private JsonReaderState _state;
    private Phase _phase;
    private List<TableField> _fields = [];
    private ColumnSpec?[] _columns = [];
    private object?[] _current = [];
    private string? _status, _message;

    private JsonTableReader(Stream stream) => _stream = stream;

    /// <inheritdoc />
    public IReadOnlyList<TableField> Fields => _fields;

    /// <inheritdoc />
    public object?[] Current => _current;

    /// <inheritdoc />
    public string? QueryStatus => _status;

    /// <inheritdoc />
    public bool IsOverflow => _status == QueryStatuses.Overflow;

    /// <inheritdoc />
    public string? ErrorMessage => _status == QueryStatuses.Error ? _message ?? "The service reported an error without a message." : null;

    /// <summary>Opens a JSON table on <paramref name="stream"/> (not closed by the reader) and reads up to the first row.</summary>
    /// <exception cref="TableFormatException">The input is not JSON of the expected shape.</exception>
    public static async Task<JsonTableReader> OpenAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var reader = new JsonTableReader(stream);
        await reader.FillAsync(cancellationToken).ConfigureAwait(false);
        if (reader._buf.AsSpan(0, reader._end).StartsWith("\uFEFF"u8)) reader._start = 3;
        while (reader._phase == Phase.Root)
        {
            if (reader.Run(reader.StepProperty) == Step.NeedMore) await reader.FillOrThrowAsync(cancellationToken).ConfigureAwait(false);
        }
        return reader;
    }

    /// <inheritdoc />
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Step step;
            switch (_phase)
            {
                case Phase.Data:
                    step = Run(StepRow);
                    if (step == Step.Row) return true;
                    break;
                case Phase.AfterData:
                    step = Run(StepProperty);
                    break;
                default:
                    return false;
            }
            if (step == Step.NeedMore) await FillOrThrowAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => default;

    private delegate Step Stepper(ref Utf8JsonReader reader);

    private Step Run(Stepper stepper)
    {
        var reader = new Utf8JsonReader(_buf.AsSpan(_start, _end - _start), _final, _state);
        try
        {
            var step = stepper(ref reader);
            if (step != Step.NeedMore)
            {
                _start += (int)reader.BytesConsumed;
                _state = reader.CurrentState;
            }
            return step;
        }
        catch (JsonException e)
        {
            throw new TableFormatException($"Malformed JSON table: {e.Message}", e);
        }
    }

    private Step StepProperty(ref Utf8JsonReader r)
    {
        if (!r.Read()) return Step.NeedMore;
        if (!_rootStarted)
        {
            if (r.TokenType != JsonTokenType.StartObject) throw new TableFormatException("A JSON table must be an object with 'metadata' and 'data'.");
            _rootStarted = true;
            return Step.Progress;
        }
        if (r.TokenType == JsonTokenType.EndObject)
        {
            if (_phase == Phase.Root && _status != QueryStatuses.Error)
                throw new TableFormatException(_fields.Count == 0
                    ? "The JSON answer is not a TAP table: it has neither 'metadata' nor 'columns', nor 'data'."
                    : "The JSON table has no 'data' member.");
            _phase = Phase.Finished;
            return Step.Progress;
        }
        var name = r.GetString();
        if (name == "data" && _phase == Phase.Root)
        {
            if (!r.Read()) return Step.NeedMore;
            if (r.TokenType == JsonTokenType.StartArray)
            {
                if (_fields.Count == 0)
                    throw new TableFormatException("The JSON table's 'data' comes without column descriptions ('metadata' or 'columns' before it).");
                _phase = Phase.Data;
                return Step.Progress;
            }
        }
        var probe = r;
        if (!probe.TrySkip()) return Step.NeedMore;
        if (!r.Read()) return Step.NeedMore;
        switch (name)
        {
            case "metadata" or "columns" when r.TokenType == JsonTokenType.StartArray:
                ReadMetadata(ref r);
                break;
            case "query_status" or "queryStatus" or "status" when r.TokenType == JsonTokenType.String:
                _status = NormalizeStatus(r.GetString());
                break;
            case "error_message" or "message" or "error" when r.TokenType == JsonTokenType.String:
                _message = r.GetString();
                break;
            default:
                r.TrySkip();
                break;
        }
        return Step.Progress;
    }

    private static string? NormalizeStatus(string? s) => s?.Trim().ToUpperInvariant() switch
    {
        "OK" => QueryStatuses.Ok,
        "OVERFLOW" => QueryStatuses.Overflow,
        "ERROR" => QueryStatuses.Error,
        var other => other,
    };

    private void ReadMetadata(ref Utf8JsonReader r)
    {
        var fields = new List<TableField>();
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            if (r.TokenType != JsonTokenType.StartObject)
            {
                r.TrySkip();
                continue;
            }
            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                var key = r.GetString()!;
                r.Read();
                values[key] = r.TokenType switch
                {
                    JsonTokenType.String => r.GetString(),
                    JsonTokenType.Number => Encoding.UTF8.GetString(r.ValueSpan),
                    _ => null,
                };
                r.TrySkip();
            }
            string? Get(string k) => values.TryGetValue(k, out var v) ? v : null;
            fields.Add(new TableField(Get("name") ?? $"col{fields.Count + 1}", Get("datatype") ?? string.Empty, Get("arraysize"),
                Get("xtype"), Get("unit"), Get("ucd"), Get("utype"), Get("description")));
        }
        _fields = fields;
        _columns = fields.Select(f => ColumnSpec.ParseDatatype(f.Datatype) is null ? null : ColumnSpec.Compile(f)).ToArray();
        _current = new object?[fields.Count];
    }

    private Step StepRow(ref Utf8JsonReader r)
    {
        if (!r.Read()) return Step.NeedMore;
        if (r.TokenType == JsonTokenType.EndArray)
        {
            _phase = Phase.AfterData;
            return Step.Progress;
        }
        if (r.TokenType != JsonTokenType.StartArray) throw new TableFormatException("Each element of 'data' must be an array (one row).");
        var probe = r;
        if (!probe.TrySkip()) return Step.NeedMore;
        Array.Clear(_current);
        var col = 0;
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            if (col >= _current.Length)
                throw new TableFormatException($"A row of the JSON table has more values than its {_fields.Count} columns.");
            _current[col] = ReadValue(ref r, col < _columns.Length ? _columns[col] : null);
            col++;
        }
        return Step.Row;
    }

    private static object? ReadValue(ref Utf8JsonReader r, ColumnSpec? c)
    {
        switch (r.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.True:
                return c is { IsString: true } ? "true" : Boxes.True;
            case JsonTokenType.False:
                return c is { IsString: true } ? "false" : Boxes.False;
            case JsonTokenType.String:
                var s = r.GetString()!;
                return c is null ? s : CellParser.Parse(c, s, emptyIsString: true);
            case JsonTokenType.Number:
                if (c is null) return r.TryGetInt64(out var any) ? Boxes.Long(any) : r.GetDouble();
                if (c.IsString) return Encoding.UTF8.GetString(r.ValueSpan);
                if (c.IsInteger) return r.TryGetInt64(out var l) ? (c.NullInteger == l ? null : Boxes.Long(l)) : (long)r.GetDouble();
                if (c.Kind is ColumnKind.Boolean or ColumnKind.Bit) return Boxes.Bool(r.GetDouble() != 0);
                var d = r.GetDouble();
                return c.NullFloat == d ? null : d;
            case JsonTokenType.StartArray:
                return ReadArray(ref r, c);
            default:
                r.TrySkip();
                return null;
        }
    }

    private static object ReadArray(ref Utf8JsonReader r, ColumnSpec? c)
    {
        var items = new List<object?>();
        var element = c is null ? null : ElementSpec(c);
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
            items.Add(ReadValue(ref r, element));
        if (c is null) return items.ToArray();
        if (c.Kind is ColumnKind.Boolean or ColumnKind.Bit) return items.Select(x => x is true).ToArray();
        if (c.IsInteger) return items.Select(x => x is long l ? l : c.NullInteger ?? 0).ToArray();
        if (c.IsString) return string.Join(' ', items);
        return items.Select(x => x is double d ? d : double.NaN).ToArray();
    }

    private static ColumnSpec ElementSpec(ColumnSpec c) =>
        ColumnSpec.Compile(new TableField(c.Name, c.IsComplex ? "double" : c.Field.Datatype));

    private async ValueTask FillOrThrowAsync(CancellationToken ct)
    {
        if (!await FillAsync(ct).ConfigureAwait(false))
            throw new TableFormatException("The JSON table ends unexpectedly.");
    }

    private async ValueTask<bool> FillAsync(CancellationToken ct)
    {
        if (_final) return false;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buf, _start, _buf, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buf.Length) Array.Resize(ref _buf, _buf.Length * 2);
        var n = await _stream.ReadAsync(_buf.AsMemory(_end), ct).ConfigureAwait(false);
        if (n == 0) _final = true;
        _end += n;
        return true;
    }
}
