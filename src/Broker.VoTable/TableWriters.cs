namespace Broker.VoTable;

/// <summary>Creates table writers from TAP/DALI <c>RESPONSEFORMAT</c> values.</summary>
public static class TableWriters
{
    /// <summary>
    /// Resolves a RESPONSEFORMAT value (case-insensitive): null/empty, <c>votable</c>, <c>votable/td</c>,
    /// <c>application/x-votable+xml[;serialization=TABLEDATA|BINARY|BINARY2]</c>, <c>text/xml</c>,
    /// <c>application/xml</c>, <c>text/x-votable+xml</c>, <c>votable/b2</c>, <c>binary2</c>, <c>votable/b</c>,
    /// <c>binary</c>, <c>csv</c>, <c>text/csv</c>, <c>tsv</c>, <c>text/tab-separated-values</c>, <c>json</c>,
    /// <c>application/json</c>.
    /// </summary>
    public static bool TryParseFormat(string? format, out TableFormat tableFormat)
    {
        tableFormat = TableFormat.VoTable;
        if (string.IsNullOrWhiteSpace(format)) return true;
        var parts = format.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var main = parts.Length == 0 ? string.Empty : parts[0].ToLowerInvariant();
        string? serialization = null;
        foreach (var p in parts.Skip(1))
        {
            var eq = p.IndexOf('=');
            if (eq > 0 && p[..eq].Trim().Equals("serialization", StringComparison.OrdinalIgnoreCase))
                serialization = p[(eq + 1)..].Trim().Trim('"').ToUpperInvariant();
        }
        switch (main)
        {
            case "votable" or "votable/td" or "votable_plain" or "application/x-votable+xml" or "text/xml" or "application/xml" or "text/x-votable+xml":
                switch (serialization)
                {
                    case null or "TABLEDATA" or "TD":
                        tableFormat = TableFormat.VoTable;
                        return true;
                    case "BINARY2" or "B2":
                        tableFormat = TableFormat.VoTableBinary2;
                        return true;
                    case "BINARY" or "B":
                        tableFormat = TableFormat.VoTableBinary;
                        return true;
                    default:
                        return false;
                }
            case "votable/b2" or "binary2":
                tableFormat = TableFormat.VoTableBinary2;
                return true;
            case "votable/b" or "binary":
                tableFormat = TableFormat.VoTableBinary;
                return true;
            case "csv" or "text/csv":
                tableFormat = TableFormat.Csv;
                return true;
            case "tsv" or "text/tab-separated-values":
                tableFormat = TableFormat.Tsv;
                return true;
            case "json" or "application/json":
                tableFormat = TableFormat.Json;
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// The response content type for <paramref name="format"/>; a VOTable requested as <c>text/xml</c> is answered
    /// as <c>text/xml</c> (DALI), otherwise e.g. <c>application/x-votable+xml;serialization=BINARY2</c>,
    /// <c>text/csv;header=present</c>.
    /// </summary>
    public static string GetContentType(TableFormat format, string? requested = null) => format switch
    {
        TableFormat.VoTable when IsTextXml(requested) => "text/xml",
        TableFormat.VoTable => "application/x-votable+xml",
        TableFormat.VoTableBinary => "application/x-votable+xml;serialization=BINARY",
        TableFormat.VoTableBinary2 => "application/x-votable+xml;serialization=BINARY2",
        TableFormat.Csv => "text/csv;header=present",
        TableFormat.Tsv => "text/tab-separated-values",
        TableFormat.Json => "application/json",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>Creates a writer for a RESPONSEFORMAT value (see <see cref="TryParseFormat"/>).</summary>
    /// <exception cref="NotSupportedException">The format is not recognised.</exception>
    public static ITableWriter Create(string? format, Stream stream, IReadOnlyList<TableField> fields, TableWriterOptions? options = null)
    {
        if (!TryParseFormat(format, out var tableFormat))
            throw new NotSupportedException($"Unsupported RESPONSEFORMAT '{format}'.");
        return Create(tableFormat, stream, fields, options, GetContentType(tableFormat, format));
    }

    /// <summary>Creates a writer for <paramref name="format"/>.</summary>
    public static ITableWriter Create(TableFormat format, Stream stream, IReadOnlyList<TableField> fields, TableWriterOptions? options = null) =>
        Create(format, stream, fields, options, GetContentType(format));

    private static ITableWriter Create(TableFormat format, Stream stream, IReadOnlyList<TableField> fields, TableWriterOptions? options, string contentType) => format switch
    {
        TableFormat.VoTable => new VoTableWriter(stream, fields, VoTableSerialization.TableData, options, contentType),
        TableFormat.VoTableBinary => new VoTableWriter(stream, fields, VoTableSerialization.Binary, options, contentType),
        TableFormat.VoTableBinary2 => new VoTableWriter(stream, fields, VoTableSerialization.Binary2, options, contentType),
        TableFormat.Csv => new CsvTableWriter(stream, fields, options),
        TableFormat.Tsv => new TsvTableWriter(stream, fields, options),
        TableFormat.Json => new JsonTableWriter(stream, fields, options),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    private static bool IsTextXml(string? requested) =>
        requested is not null && requested.Split(';')[0].Trim().Equals("text/xml", StringComparison.OrdinalIgnoreCase);
}
