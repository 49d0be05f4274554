namespace Broker.VoTable;

public sealed partial class VoTableReader
{
    /// <summary>A single TABLEDATA row larger than this is refused rather than buffered.</summary>
    private const int MaxFastRowBytes = 256 * 1024 * 1024;

    /// <summary>Reads a row with <see cref="TableDataScanner"/> from the bytes already buffered (no await in the common case).</summary>
    private ValueTask<bool> ReadFastRow(CancellationToken ct) =>
        Step(_scanner!.TryReadRow(_input.Buffered, _current, out var used), used) switch
        {
            true => Row(),
            false => FinishAsync(ct),
            null => _mode == Mode.FastTableData ? ReadFastRowSlowAsync(ct) : ReadAsync(ct),
        };

    /// <summary>Applies a scanner result: true for a row, false at the end of TABLEDATA, null when more input is
    /// needed (mode unchanged) or the XmlReader takes over (mode switched to <see cref="Mode.TableData"/>).</summary>
    private bool? Step(TableDataScanner.Result result, int used)
    {
        _input.Advance(used);
        switch (result)
        {
            case TableDataScanner.Result.Row:
                FastTableDataRows++;
                return true;
            case TableDataScanner.Result.End:
                return false;
            case TableDataScanner.Result.Fallback:
                FallBackToXmlReader();
                return null;
            default:
                return null;
        }
    }

    private void FallBackToXmlReader()
    {
        FastTableDataFellBack = true;
        _mode = Mode.TableData;
    }

    private async ValueTask<bool> ReadFastRowSlowAsync(CancellationToken ct)
    {
        while (true)
        {
            if (_input.IsEndOfInput)
            {
                // a truncated row: the XmlReader reports the malformed document in its usual words
                FallBackToXmlReader();
                return await ReadAsync(ct).ConfigureAwait(false);
            }
            if (_input.Available > MaxFastRowBytes)
                throw new TableFormatException($"A TABLEDATA row is larger than {MaxFastRowBytes / (1024 * 1024)} MB.");
            await _input.FillAsync(Math.Max(_input.Available + 64 * 1024, PrefetchStream.DefaultCapacity), ct).ConfigureAwait(false);
            switch (Step(_scanner!.TryReadRow(_input.Buffered, _current, out var used), used))
            {
                case true:
                    RowCount++;
                    return true;
                case false:
                    return await FinishAsync(ct).ConfigureAwait(false);
                default:
                    if (_mode != Mode.FastTableData) return await ReadAsync(ct).ConfigureAwait(false);
                    break;
            }
        }
    }
}
