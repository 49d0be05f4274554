using System.Buffers;
using System.Text;
using System.Xml;

namespace Broker.VoTable;

/// <summary>
/// Streaming reader for VOTable 1.1–1.4 documents (any or no namespace) with TABLEDATA, BINARY or BINARY2
/// data. <see cref="OpenAsync"/> reads up to the first TABLE's data; <see cref="ReadAsync"/> then yields rows
/// one at a time without holding the table in memory, and after the last row reads the rest of the document
/// to collect trailing <c>QUERY_STATUS</c> INFOs. DTDs are refused (no entity expansion, no external access).
/// </summary>
public sealed partial class VoTableReader : ITableReader
{
    private enum Mode { Trailer, TableData, FastTableData, Binary, Finished }

    private const int BinaryChunk = 48 * 1024;

    private readonly PrefetchStream _input;
    private readonly XmlGateStream _gate;
    private readonly bool _fastTableData;
    private readonly XmlReader _xml;
    private TableDataScanner? _scanner;
    private Base64StreamScanner? _base64;
    private readonly List<TableField> _fields = [];
    private readonly List<VoTableInfo> _infos = [];
    private readonly List<VoTableResource> _metaResources = [];
    private readonly string _tr, _td;
    private ColumnSpec[] _columns = [];
    private object?[] _current = [];
    private Mode _mode = Mode.Trailer;
    private BinaryRowDecoder? _decoder;
    private byte[] _bin = [];
    private bool _binRented;
    private int _binPos, _binLen;
    private bool _binEof;
    private char[] _cell = new char[1024];
    private int _cellLen;
    private string? _status, _message, _descriptionFallback, _errorInfoFallback;

    private VoTableReader(PrefetchStream input, bool fastTableData)
    {
        _input = input;
        _fastTableData = fastTableData;
        _gate = new XmlGateStream(input);
        _gate.CheckEncoding(input.Buffered);
        var names = new NameTable();
        _tr = names.Add("TR");
        _td = names.Add("TD");
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            NameTable = names,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
            CloseInput = false,
            MaxCharactersFromEntities = 1024,
        };
        _xml = XmlReader.Create(_gate, settings);
    }

    /// <inheritdoc />
    public IReadOnlyList<TableField> Fields => _fields;

    /// <inheritdoc />
    public object?[] Current => _current;

    /// <summary>All INFO elements seen so far (name, value, content), in document order.</summary>
    public IReadOnlyList<VoTableInfo> Infos => _infos;

    /// <summary>
    /// The <c>RESOURCE type="meta"</c> elements seen so far (DataLink service descriptors), in document order: those
    /// before the first table's data after <see cref="OpenAsync(Stream, CancellationToken)"/>, all after the last row.
    /// </summary>
    public IReadOnlyList<VoTableResource> MetaResources => _metaResources;

    /// <summary>Rows read so far.</summary>
    public long RowCount { get; private set; }

    /// <summary>The serialization of the first table's data, or null if the document has no table data.</summary>
    public VoTableSerialization? Serialization { get; private set; }

    /// <inheritdoc />
    public string? QueryStatus => _status;

    /// <inheritdoc />
    public bool IsOverflow => _status == QueryStatuses.Overflow;

    /// <inheritdoc />
    public string? ErrorMessage => _status != QueryStatuses.Error
        ? null
        : _message ?? _errorInfoFallback ?? _descriptionFallback ?? "The service reported QUERY_STATUS=ERROR without a message.";

    /// <summary>
    /// Opens a VOTable on <paramref name="stream"/> (not closed by the reader) and reads the header up to the
    /// first TABLE's data. Documents without a TABLE (e.g. error documents) are read completely.
    /// </summary>
    /// <exception cref="TableFormatException">The document is not a valid or supported VOTable, or contains a DTD.</exception>
    public static Task<VoTableReader> OpenAsync(Stream stream, CancellationToken cancellationToken = default) =>
        OpenAsync(stream, fastTableData: true, cancellationToken);

    /// <summary>Rows read by the direct TABLEDATA scanner (the rest, if any, went through the XmlReader).</summary>
    internal long FastTableDataRows { get; private set; }

    /// <summary>True when the direct TABLEDATA scanner met markup it leaves to the XmlReader.</summary>
    internal bool FastTableDataFellBack { get; private set; }

    /// <summary>True when the direct base64 decoder met text it leaves to the XmlReader.</summary>
    internal bool FastBinaryFellBack { get; private set; }

    /// <summary>True while (or after) binary data is decoded straight from the input bytes.</summary>
    internal bool UsedFastBinary { get; private set; }

    /// <summary>Opens a reader; <paramref name="fastTableData"/> false reads TABLEDATA and binary STREAMs only through the
    /// XmlReader (tests compare both).</summary>
    internal static async Task<VoTableReader> OpenAsync(Stream stream, bool fastTableData, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var input = stream as PrefetchStream ?? new PrefetchStream(stream);
        await input.FillAsync(cancellationToken).ConfigureAwait(false);
        if (ContainsDoctype(input.Buffered)) throw DtdRejected(null);
        var reader = new VoTableReader(input, fastTableData);
        try
        {
            await reader.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
            reader._gate.PieceAtATime = false;
        }
        catch (XmlException e)
        {
            reader._xml.Dispose();
            throw Wrap(e);
        }
        catch
        {
            reader._xml.Dispose();
            throw;
        }
        return reader;
    }

    /// <inheritdoc />
    public ValueTask<bool> ReadAsync(CancellationToken cancellationToken = default)
    {
        _input.CancellationToken = cancellationToken;
        try
        {
            switch (_mode)
            {
                case Mode.FastTableData:
                    return ReadFastRow(cancellationToken);
                case Mode.TableData when !_input.NeedsFill():
                    if (ReadTableDataRow()) return Row();
                    return FinishAsync(cancellationToken);
                case Mode.Binary:
                    switch (TryReadBinaryRow())
                    {
                        case true: return Row();
                        case false: return FinishAsync(cancellationToken);
                        default: return ReadBinarySlowAsync(cancellationToken);
                    }
                case Mode.TableData:
                    return ReadTableDataSlowAsync(cancellationToken);
                case Mode.Trailer:
                    return FinishAsync(cancellationToken);
                default:
                    return new ValueTask<bool>(false);
            }
        }
        catch (XmlException e)
        {
            throw Wrap(e);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _xml.Dispose();
        _input.Dispose(); // its pooled window; the caller's stream stays open
        _base64?.Release();
        _base64 = null;
        if (_binRented) ArrayPool<byte>.Shared.Return(_bin);
        _binRented = false;
        _bin = [];
        _mode = Mode.Finished;
        return default;
    }

    /// <summary>Doubles the binary buffer for a row larger than it (the rented one is given back).</summary>
    private void GrowBinaryBuffer()
    {
        var larger = new byte[_bin.Length * 2];
        _bin.AsSpan(0, _binLen).CopyTo(larger);
        if (_binRented) ArrayPool<byte>.Shared.Return(_bin);
        _binRented = false;
        _bin = larger;
    }

    private ValueTask<bool> Row()
    {
        RowCount++;
        return new ValueTask<bool>(true);
    }

    private async ValueTask<bool> ReadTableDataSlowAsync(CancellationToken ct)
    {
        await _input.FillAsync(ct).ConfigureAwait(false);
        try
        {
            if (ReadTableDataRow())
            {
                RowCount++;
                return true;
            }
        }
        catch (XmlException e)
        {
            throw Wrap(e);
        }
        return await FinishAsync(ct).ConfigureAwait(false);
    }

    private async ValueTask<bool> ReadBinarySlowAsync(CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await FillBinaryAsync(ct).ConfigureAwait(false);
                switch (TryReadBinaryRow())
                {
                    case true:
                        RowCount++;
                        return true;
                    case false:
                        return await FinishAsync(ct).ConfigureAwait(false);
                }
            }
        }
        catch (XmlException e)
        {
            throw Wrap(e);
        }
    }

    private async ValueTask<bool> FinishAsync(CancellationToken ct)
    {
        try
        {
            _mode = Mode.Trailer;
            while (true)
            {
                if (_input.NeedsFill()) await _input.FillAsync(ct).ConfigureAwait(false);
                if (!ReadBounded()) break;
                if (_xml.NodeType != XmlNodeType.Element) continue;
                switch (_xml.LocalName)
                {
                    case "INFO":
                        ReadInfo();
                        break;
                    case "RESOURCE" when IsMetaResource():
                        ReadMetaResource();
                        break;
                    case "DESCRIPTION":
                        _descriptionFallback ??= NullIfBlank(ReadText());
                        break;
                    case "TABLE":
                    case "FIELD":
                    case "PARAM":
                    case "GROUP":
                        SkipElement();
                        break;
                }
            }
        }
        catch (XmlException e)
        {
            throw Wrap(e);
        }
        _mode = Mode.Finished;
        return false;
    }

    private static string? NullIfBlank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static bool ContainsDoctype(ReadOnlySpan<byte> prefix)
    {
        var root = prefix.IndexOf("<V"u8);
        var head = root < 0 ? prefix[..Math.Min(prefix.Length, 64 * 1024)] : prefix[..root];
        return head.IndexOf("<!DOCTYPE"u8) >= 0;
    }

    private static TableFormatException DtdRejected(Exception? inner)
    {
        const string msg = "The VOTable document contains a DTD (<!DOCTYPE>); DTDs and entity declarations are refused for security (XXE).";
        return inner is null ? new TableFormatException(msg) : new TableFormatException(msg, inner);
    }

    private static TableFormatException Wrap(XmlException e) =>
        e.Message.Contains("DTD", StringComparison.Ordinal)
            ? DtdRejected(e)
            : new TableFormatException($"Malformed VOTable document: {e.Message}", e);
}
