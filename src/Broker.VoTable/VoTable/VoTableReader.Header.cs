using System.Buffers;
using System.Text;
using System.Xml;

namespace Broker.VoTable;

public sealed partial class VoTableReader
{
    private async Task ReadHeaderAsync(CancellationToken ct)
    {
        var rootSeen = false;
        var inTable = false;
        while (true)
        {
            if (_input.NeedsFill()) await _input.FillAsync(ct).ConfigureAwait(false);
            if (!ReadBounded()) break;
            if (_xml.NodeType == XmlNodeType.EndElement)
            {
                if (inTable && _xml.LocalName == "TABLE") return; // table without DATA: no rows, trailer next
                continue;
            }
            if (_xml.NodeType != XmlNodeType.Element) continue;
            var name = _xml.LocalName;
            if (!rootSeen)
            {
                if (name != "VOTABLE") throw new TableFormatException($"Not a VOTable document: the root element is <{_xml.Name}>.");
                rootSeen = true;
                continue;
            }
            switch (name)
            {
                case "INFO":
                    ReadInfo();
                    break;
                case "DESCRIPTION":
                    if (!inTable) _descriptionFallback ??= NullIfBlank(ReadText());
                    else SkipElement();
                    break;
                case "TABLE":
                    inTable = true;
                    if (_xml.IsEmptyElement) return;
                    break;
                case "FIELD":
                    if (inTable) _fields.Add(ReadField());
                    else SkipElement();
                    break;
                case "RESOURCE" when IsMetaResource():
                    ReadMetaResource();
                    break;
                case "PARAM":
                case "GROUP":
                case "LINK":
                case "COOSYS":
                case "TIMESYS":
                    SkipElement();
                    break;
                case "TABLEDATA":
                    if (!inTable) break;
                    StartRows(VoTableSerialization.TableData);
                    _mode = _xml.IsEmptyElement ? Mode.Trailer : Mode.TableData;
                    // the gate proves that the XmlReader stopped right after this start tag
                    if (_mode == Mode.TableData && _fastTableData && _gate.TableDataPrefix is { } prefix)
                    {
                        _scanner = new TableDataScanner(_columns, prefix);
                        _mode = Mode.FastTableData;
                    }
                    return;
                case "BINARY":
                case "BINARY2":
                    if (!inTable) break;
                    StartRows(name == "BINARY" ? VoTableSerialization.Binary : VoTableSerialization.Binary2);
                    StartStream();
                    return;
                case "FITS":
                    throw new TableFormatException("FITS-serialized VOTable data is not supported.");
            }
        }
        if (!rootSeen) throw new TableFormatException("Not a VOTable document: no root element.");
        _mode = Mode.Finished;
    }

    private void StartRows(VoTableSerialization serialization)
    {
        Serialization = serialization;
        _columns = ColumnSpec.Compile(_fields);
        _current = new object?[_columns.Length];
    }

    private void StartStream()
    {
        var isEmpty = _xml.IsEmptyElement;
        while (!isEmpty && _xml.Read())
        {
            if (_xml.NodeType == XmlNodeType.EndElement) break;
            if (_xml.NodeType != XmlNodeType.Element) continue;
            if (_xml.LocalName != "STREAM") throw new TableFormatException($"Unexpected <{_xml.Name}> in binary DATA; expected <STREAM>.");
            if (_xml.GetAttribute("href") is { Length: > 0 } href)
                throw new TableFormatException($"Remote binary streams (STREAM href='{href}') are not supported.");
            var encoding = _xml.GetAttribute("encoding");
            if (encoding is not null && !encoding.Equals("base64", StringComparison.OrdinalIgnoreCase))
                throw new TableFormatException($"Unsupported STREAM encoding '{encoding}'; only base64 is supported.");
            if (_columns.Length == 0) break; // rows without columns carry no bytes: nothing to read
            _decoder = new BinaryRowDecoder(_columns, Serialization == VoTableSerialization.Binary2);
            _bin = ArrayPool<byte>.Shared.Rent(64 * 1024); // one per provider answer: rented, returned on dispose
            _binRented = true;
            _mode = Mode.Binary;
            // the gate proves that the XmlReader stopped right after this start tag
            if (_fastTableData && !_xml.IsEmptyElement && _gate.StreamPrefix is { } prefix) _base64 = new Base64StreamScanner(prefix);
            if (_xml.IsEmptyElement)
            {
                _binEof = true;
                _xml.Read();
            }
            return;
        }
        _mode = Mode.Trailer;
    }

    private TableField ReadField()
    {
        var name = _xml.GetAttribute("name") ?? _xml.GetAttribute("ID") ?? string.Empty;
        var datatype = _xml.GetAttribute("datatype");
        var arraysize = _xml.GetAttribute("arraysize");
        if (string.IsNullOrWhiteSpace(datatype))
        {
            datatype = "char";
            arraysize ??= "*";
        }
        var field = new TableField(name, datatype, arraysize, _xml.GetAttribute("xtype"), _xml.GetAttribute("unit"),
            _xml.GetAttribute("ucd"), _xml.GetAttribute("utype")) { XmlId = _xml.GetAttribute("ID") };
        if (_xml.IsEmptyElement) return field;
        var depth = _xml.Depth;
        string? description = null, nullValue = null;
        while (ReadBounded())
        {
            if (_xml.NodeType == XmlNodeType.EndElement && _xml.Depth == depth) break;
            if (_xml.NodeType != XmlNodeType.Element) continue;
            if (_xml.LocalName == "DESCRIPTION" && _xml.Depth == depth + 1) description = NullIfBlank(ReadText());
            else if (_xml.LocalName == "VALUES" && _xml.Depth == depth + 1) nullValue = _xml.GetAttribute("null");
        }
        return field with { Description = description, NullValue = nullValue };
    }

    private bool IsMetaResource() => string.Equals(_xml.GetAttribute("type"), "meta", StringComparison.Ordinal);

    /// <summary>Reads a <c>RESOURCE type="meta"</c> (its PARAMs and GROUPs; tables and nested resources are skipped);
    /// leaves the reader on its end tag.</summary>
    private void ReadMetaResource()
    {
        if (_metaResources.Count >= MaxMetaResources)
            throw new TableFormatException($"The VOTable has more than {MaxMetaResources} meta RESOURCEs.");
        string? id = _xml.GetAttribute("ID"), name = _xml.GetAttribute("name"), utype = _xml.GetAttribute("utype"), description = null;
        var parameters = new List<VoTableParam>();
        var groups = new List<VoTableGroup>();
        ReadElementsInside(element =>
        {
            switch (element)
            {
                case "DESCRIPTION":
                    description = NullIfBlank(ReadText());
                    break;
                case "PARAM":
                    parameters.Add(ReadParam());
                    break;
                case "GROUP":
                    groups.Add(ReadGroup());
                    break;
                default:
                    SkipElement();
                    break;
            }
        });
        _metaResources.Add(new VoTableResource(id, name, utype, description, parameters, groups));
    }

    private VoTableGroup ReadGroup()
    {
        var name = _xml.GetAttribute("name");
        string? description = null;
        var parameters = new List<VoTableParam>();
        ReadElementsInside(element =>
        {
            if (element == "PARAM") parameters.Add(ReadParam());
            else if (element == "DESCRIPTION") description = NullIfBlank(ReadText());
            else SkipElement();
        });
        return new VoTableGroup(name, description, parameters);
    }

    private VoTableParam ReadParam()
    {
        string name = _xml.GetAttribute("name") ?? string.Empty, datatype = _xml.GetAttribute("datatype") ?? "char";
        string? arraysize = _xml.GetAttribute("arraysize"), xtype = _xml.GetAttribute("xtype"), unit = _xml.GetAttribute("unit"),
            ucd = _xml.GetAttribute("ucd"), utype = _xml.GetAttribute("utype"), reference = _xml.GetAttribute("ref");
        var value = _xml.GetAttribute("value") ?? string.Empty;
        string? description = null, min = null, max = null;
        var options = new List<string>();
        ReadElementsInside(element =>
        {
            switch (element)
            {
                case "DESCRIPTION":
                    description = NullIfBlank(ReadText());
                    break;
                case "MIN":
                    min = _xml.GetAttribute("value");
                    break;
                case "MAX":
                    max = _xml.GetAttribute("value");
                    break;
                case "OPTION" when _xml.GetAttribute("value") is { } option:
                    options.Add(option);
                    break;
            }
        });
        return new VoTableParam(name, datatype, arraysize, xtype, unit, ucd, utype, value, reference, description, min, max, options);
    }

    /// <summary>
    /// Calls <paramref name="element"/> with the name of each element inside the one the reader is on (none for an
    /// empty one) and leaves the reader on its end tag. An element the handler does not read whole is entered, so the
    /// elements inside it come next (a PARAM's MIN, MAX and OPTIONs are inside its VALUES).
    /// </summary>
    private void ReadElementsInside(Action<string> element)
    {
        if (_xml.IsEmptyElement) return;
        var depth = _xml.Depth;
        while (ReadBounded())
        {
            if (_xml.NodeType == XmlNodeType.EndElement && _xml.Depth == depth) break;
            if (_xml.NodeType == XmlNodeType.Element) element(_xml.LocalName);
        }
    }

    private void ReadInfo()
    {
        var name = _xml.GetAttribute("name") ?? string.Empty;
        var value = _xml.GetAttribute("value") ?? string.Empty;
        var content = NullIfBlank(ReadText());
        _infos.Add(new VoTableInfo(name, value, content));
        if (name.Equals("ERROR", StringComparison.OrdinalIgnoreCase))
        {
            _errorInfoFallback ??= content ?? NullIfBlank(value);
            return;
        }
        if (!name.Equals(QueryStatuses.InfoName, StringComparison.OrdinalIgnoreCase)) return;
        var v = value.Trim();
        if (v.StartsWith(QueryStatuses.Error, StringComparison.OrdinalIgnoreCase))
        {
            _status = QueryStatuses.Error;
            _message = content ?? NullIfBlank(v[QueryStatuses.Error.Length..].TrimStart(':', ' ', '-', '\t'));
        }
        else if (_status == QueryStatuses.Error)
        {
            // an error is final
        }
        else if (v.Equals(QueryStatuses.Overflow, StringComparison.OrdinalIgnoreCase)) _status = QueryStatuses.Overflow;
        else if (v.Equals(QueryStatuses.Ok, StringComparison.OrdinalIgnoreCase)) _status ??= QueryStatuses.Ok;
        else if (_status is null or QueryStatuses.Ok) _status = v;
    }

    /// <summary>Concatenated text of the current element's content; leaves the reader on its end tag.</summary>
    private string ReadText()
    {
        if (_xml.IsEmptyElement) return string.Empty;
        var depth = _xml.Depth;
        StringBuilder? sb = null;
        string? single = null;
        while (ReadBounded())
        {
            var nt = _xml.NodeType;
            if (nt is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
            {
                if (single is null && sb is null) single = _xml.Value;
                else (sb ??= new StringBuilder(single)).Append(_xml.Value);
            }
            else if (nt == XmlNodeType.EndElement && _xml.Depth == depth) break;
        }
        return sb?.ToString() ?? single ?? string.Empty;
    }

    /// <summary>Most <c>RESOURCE type="meta"</c> elements read from one document.</summary>
    public const int MaxMetaResources = 1000;

    /// <summary>Deepest element nesting read outside the rows (VOTables nest RESOURCE, TABLE and GROUP a few levels).</summary>
    public const int MaxDepth = 64;

    /// <summary>Reads the next node; a document nested deeper than <see cref="MaxDepth"/> is refused, so a hostile
    /// header costs time linear in its size and no more state than the bound.</summary>
    private bool ReadBounded()
    {
        if (!_xml.Read()) return false;
        if (_xml.Depth > MaxDepth) throw new TableFormatException($"The VOTable nests elements deeper than {MaxDepth} levels.");
        return true;
    }

    /// <summary>Skips the current element and its content; leaves the reader on its end tag.</summary>
    private void SkipElement()
    {
        if (_xml.IsEmptyElement) return;
        var depth = _xml.Depth;
        while (ReadBounded())
            if (_xml.NodeType == XmlNodeType.EndElement && _xml.Depth == depth) return;
    }
}
