using System.IO.Compression;

namespace Broker.VoTable;

/// <summary>Opens a reader for VOTable, CSV, TSV or JSON input, choosing by content and content type.</summary>
public static class TableReaders
{
    /// <summary>
    /// Opens <paramref name="stream"/> (not closed by the reader). Gzip input is decompressed. The first
    /// non-blank byte decides: <c>&lt;</c> is a VOTable and <c>{</c> is JSON; otherwise the content type picks TSV
    /// (<c>tab-separated</c>) or CSV (the default).
    /// </summary>
    /// <param name="stream">The input.</param>
    /// <param name="contentType">The HTTP content type, if known.</param>
    /// <param name="cancellationToken">Cancels reading.</param>
    /// <param name="expectedFields">Column metadata used to type CSV/TSV values (which carry no types).</param>
    /// <exception cref="TableFormatException">The input is malformed or unsupported.</exception>
    public static async Task<ITableReader> OpenAsync(Stream stream, string? contentType, CancellationToken cancellationToken = default,
        IReadOnlyList<TableField>? expectedFields = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var input = new PrefetchStream(stream);
        await input.FillAsync(64 * 1024, cancellationToken).ConfigureAwait(false);
        var head = input.Buffered;
        if (head.Length >= 2 && head[0] == 0x1F && head[1] == 0x8B)
        {
            input = new PrefetchStream(new GZipStream(input, CompressionMode.Decompress, leaveOpen: true));
            await input.FillAsync(64 * 1024, cancellationToken).ConfigureAwait(false);
            head = input.Buffered;
        }
        var first = FirstSignificantByte(head);
        var type = contentType?.ToLowerInvariant() ?? string.Empty;
        if (first == '<') return await VoTableReader.OpenAsync(input, cancellationToken).ConfigureAwait(false);
        if (first == '{') return await JsonTableReader.OpenAsync(input, cancellationToken).ConfigureAwait(false);
        if (type.Contains("tab-separated", StringComparison.Ordinal) || type.Contains("tsv", StringComparison.Ordinal))
            return await CsvTableReader.OpenTsvAsync(input, expectedFields, cancellationToken).ConfigureAwait(false);
        if (type.Contains("xml", StringComparison.Ordinal) || type.Contains("votable", StringComparison.Ordinal))
            throw new TableFormatException($"Content type '{contentType}' announces XML but the body does not start with '<'.");
        if (type.Contains("json", StringComparison.Ordinal))
            throw new TableFormatException($"Content type '{contentType}' announces JSON but the body does not start with '{{'.");
        return await CsvTableReader.OpenAsync(input, expectedFields, cancellationToken).ConfigureAwait(false);
    }

    private static int FirstSignificantByte(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("\uFEFF"u8)) head = head[3..];
        foreach (var b in head)
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return b;
        return -1;
    }
}
