using System.Xml;

namespace Broker.VoTable;

public sealed partial class VoTableReader
{
    /// <summary>Reads the next TR synchronously (input is prefetched); false at the end of TABLEDATA.</summary>
    private bool ReadTableDataRow()
    {
        while (_xml.Read())
        {
            var nt = _xml.NodeType;
            if (nt == XmlNodeType.Element)
            {
                if ((object)_xml.LocalName == _tr)
                {
                    ReadTr();
                    return true;
                }
                SkipElement();
            }
            else if (nt == XmlNodeType.EndElement)
            {
                return false;
            }
        }
        throw new TableFormatException("Unexpected end of the VOTable document inside TABLEDATA.");
    }

    private void ReadTr()
    {
        Array.Clear(_current);
        if (_xml.IsEmptyElement) return;
        var col = 0;
        while (_xml.Read())
        {
            var nt = _xml.NodeType;
            if (nt == XmlNodeType.Element)
            {
                if ((object)_xml.LocalName != _td)
                {
                    SkipElement();
                    continue;
                }
                if (!_xml.IsEmptyElement)
                {
                    ReadCellText();
                    if (col < _columns.Length && _cellLen > 0)
                        _current[col] = CellParser.Parse(_columns[col], _cell.AsSpan(0, _cellLen));
                }
                col++;
            }
            else if (nt == XmlNodeType.EndElement)
            {
                return;
            }
        }
        throw new TableFormatException("Unexpected end of the VOTable document inside a TR.");
    }

    /// <summary>Copies the text of the current TD into <see cref="_cell"/> without allocating strings.</summary>
    private void ReadCellText()
    {
        _cellLen = 0;
        while (_xml.Read())
        {
            var nt = _xml.NodeType;
            if (nt is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
            {
                // ReadValueChunk fills the request unless the value ends (it may stop one short to keep a
                // surrogate pair together), so a short read means the node is exhausted.
                int n, room;
                do
                {
                    if (_cell.Length - _cellLen < 256) Array.Resize(ref _cell, _cell.Length * 2);
                    room = _cell.Length - _cellLen;
                    n = _xml.ReadValueChunk(_cell, _cellLen, room);
                    _cellLen += n;
                }
                while (n >= room - 1 && n > 0);
            }
            else if (nt == XmlNodeType.EndElement)
            {
                return;
            }
            else if (nt == XmlNodeType.Element)
            {
                SkipElement();
            }
        }
        throw new TableFormatException("Unexpected end of the VOTable document inside a TD.");
    }

    /// <summary>true: a row was decoded; false: no more rows; null: more bytes are needed.</summary>
    private bool? TryReadBinaryRow()
    {
        if (_decoder!.TryDecodeRow(_bin.AsSpan(_binPos, _binLen - _binPos), _current, out var used))
        {
            _binPos += used;
            return true;
        }
        if (!_binEof) return null;
        if (_binPos == _binLen) return false;
        throw new TableFormatException($"The binary stream ends in the middle of a row ({_binLen - _binPos} bytes left over).");
    }

    private async ValueTask FillBinaryAsync(CancellationToken ct)
    {
        if (_binPos > 0)
        {
            Buffer.BlockCopy(_bin, _binPos, _bin, 0, _binLen - _binPos);
            _binLen -= _binPos;
            _binPos = 0;
        }
        if (_bin.Length - _binLen < 4) GrowBinaryBuffer(); // a row larger than the buffer
        while (!_binEof && _bin.Length - _binLen >= 4)
        {
            if (_input.NeedsFill()) await _input.FillAsync(ct).ConfigureAwait(false);
            if (_base64 is not null)
            {
                await DecodeBase64DirectAsync(ct).ConfigureAwait(false);
                continue;
            }
            var n = _xml.ReadElementContentAsBase64(_bin, _binLen, Math.Min(_bin.Length - _binLen, BinaryChunk));
            if (n == 0) _binEof = true;
            else _binLen += n;
        }
    }

    /// <summary>Decodes buffered base64 text straight into <see cref="_bin"/>; at the STREAM end tag or at text it does
    /// not handle, the XmlReader takes over (reading the end tag, or the rest of the text).</summary>
    private async ValueTask DecodeBase64DirectAsync(CancellationToken ct)
    {
        UsedFastBinary = true;
        var result = _base64!.Decode(_input.Buffered, _bin.AsSpan(_binLen), _input.IsEndOfInput, out var used, out var written);
        _input.Advance(used);
        _binLen += written;
        switch (result)
        {
            case Base64StreamScanner.Result.End:
                _base64.Release();
                _base64 = null;
                _binEof = true;
                break;
            case Base64StreamScanner.Result.Fallback:
                _base64.Release();
                _base64 = null;
                FastBinaryFellBack = true;
                break;
            default:
                if (used == 0 && written == 0) await _input.FillAsync(_input.Available + 1, ct).ConfigureAwait(false);
                break;
        }
    }
}
