using System.Globalization;
using System.Text;
using Broker.Core.Model;
using Broker.Core.Units;

namespace Broker.Server.Rest;

/// <summary>Writes records as RFC 4180 CSV with a header row; per-provider statuses travel in the response headers.</summary>
public static class SearchResultCsv
{
    private static readonly string[] Columns =
    [
        "provider", "fileId", "source", "instrument", "detector", "physobs", "level", "start", "end",
        "waveMin", "waveMax", "waveUnit", "waveType", "extentType", "sizeKb", "info", "dataType", "downloadUrl",
    ];

    public static async Task WriteAsync(Stream body, IReadOnlyList<DataRecord> records, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\r\n" };
        await writer.WriteLineAsync(string.Join(",", Columns));
        var line = new StringBuilder(256);
        foreach (var r in records)
        {
            line.Clear();
            Field(line, r.Provider); Field(line, r.FileId); Field(line, r.Source); Field(line, r.Instrument);
            Field(line, r.Detector); Field(line, r.Physobs); Field(line, r.Level);
            Field(line, r.Start is { } s ? SolarTime.ToIso(s) : null); Field(line, r.End is { } e ? SolarTime.ToIso(e) : null);
            Field(line, Num(r.WaveMin)); Field(line, Num(r.WaveMax)); Field(line, r.WaveMin is null ? null : "Angstrom");
            Field(line, r.WaveType); Field(line, r.Extent?.Type); Field(line, Num(r.SizeKb)); Field(line, r.Info);
            Field(line, r.DataType); Field(line, r.DownloadUrl, last: true);
            await writer.WriteLineAsync(line, cancellationToken);
        }
        await writer.FlushAsync(cancellationToken);
    }

    private static string? Num(double? v) => v?.ToString("R", CultureInfo.InvariantCulture);

    private static void Field(StringBuilder sb, string? value, bool last = false)
    {
        if (value is not null)
        {
            if (value.AsSpan().IndexOfAny("\",\r\n") >= 0) sb.Append('"').Append(value.Replace("\"", "\"\"")).Append('"');
            else sb.Append(value);
        }
        if (!last) sb.Append(',');
    }
}
