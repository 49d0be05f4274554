using System.IO.Pipelines;
using System.Text.Encodings.Web;
using System.Text.Json;
using Broker.Core.Model;
using Broker.Core.Search;
using Broker.Core.Units;

namespace Broker.Server.Rest;

/// <summary>
/// Writes a search result as JSON straight to the response with a Utf8JsonWriter: no intermediate object graph,
/// pre-encoded property names and UTF-8 time formatting, because a merged result of tens of thousands of records
/// is on the hot path of every search (it is most of the broker's own latency in the fan-out benchmark).
/// </summary>
public static class SearchResultJson
{
    // application/json is never embedded in HTML here, so only what JSON itself requires is escaped ('&' in URLs stays).
    internal static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonEncodedText Provider = Name("provider"), FileId = Name("fileId"), Source = Name("source"),
        Instrument = Name("instrument"), Detector = Name("detector"), Physobs = Name("physobs"), Level = Name("level"),
        Start = Name("start"), End = Name("end"), WaveMin = Name("waveMin"), WaveMax = Name("waveMax"), WaveUnit = Name("waveUnit"),
        WaveType = Name("waveType"), Extent = Name("extent"), SizeKb = Name("sizeKb"), Info = Name("info"), DataType = Name("dataType"),
        DownloadUrl = Name("downloadUrl"), ContentType = Name("contentType"), ThumbnailUrl = Name("thumbnailUrl"), AlsoAt = Name("alsoAt"),
        Angstrom = JsonEncodedText.Encode("Angstrom");

    /// <remarks>
    /// Writes into the pipe's own memory (no intermediate buffer copy), flushing every 64 KiB, or every 1 MiB when the
    /// caller accepts a compressed answer: each flush also flushes the compressor, which ends a compressed block.
    /// Records come from <see cref="RecordJson"/>, mostly rendered already while the search ran.
    /// </remarks>
    public static async Task WriteAsync(PipeWriter body, SearchResult result, RecordJson? rendered, CancellationToken cancellationToken,
        bool compressed = false)
    {
        var flushEvery = compressed ? 1 << 20 : 1 << 16;
        using var w = new Utf8JsonWriter(body, WriterOptions);
        w.WriteStartObject();
        WriteSummaryMembers(w, result);
        w.WriteStartArray("records");
        long flushed = 0;
        foreach (var r in result.Records)
        {
            w.WriteRawValue(rendered is null ? RecordJson.Render(r) : rendered.Get(r).Span, skipInputValidation: true);
            // Counted over the whole answer: writing into a pipe, the writer commits (and resets BytesPending) at
            // every memory block it fills, so BytesPending alone never reached the limit and nothing was sent until
            // the whole answer sat in the pipe.
            if (w.BytesCommitted + w.BytesPending - flushed > flushEvery)
            {
                w.Flush();
                await body.FlushAsync(cancellationToken);
                flushed = w.BytesCommitted;
            }
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        await body.FlushAsync(cancellationToken);
    }

    /// <summary>Every member of the search document except <c>records</c> (also the streamed search's summary).</summary>
    public static void WriteSummaryMembers(Utf8JsonWriter w, SearchResult result)
    {
        w.WriteString("queryId", result.QueryId);
        w.WriteString("createdAt", SolarTime.ToIso(result.CreatedAt));
        w.WriteNumber("total", result.Total);
        w.WriteBoolean("totalExact", result.TotalExact);
        w.WriteNumber("returned", result.Records.Count);
        w.WriteBoolean("truncated", result.Truncated);
        if (result.TruncatedPercent is { } percent) w.WriteNumber("truncatedPercent", percent);
        w.WriteNumber("elapsedMs", result.ElapsedMs);
        WriteProviders(w, result.Providers);
    }

    public static void WriteProviders(Utf8JsonWriter w, IEnumerable<ProviderOutcome> providers)
    {
        w.WriteStartArray("providers");
        foreach (var p in providers)
        {
            w.WriteStartObject();
            WriteProviderMembers(w, p);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>
    /// The members of one provider's status line (also the streamed search's provider events, which write the records
    /// themselves under "records" in place of their count: <paramref name="withCount"/> false).
    /// </summary>
    public static void WriteProviderMembers(Utf8JsonWriter w, ProviderOutcome p, bool withCount = true)
    {
        {
            w.WriteString("id", p.ProviderId);
            w.WriteString("status", StatusName(p.Status));
            if (withCount) w.WriteNumber("records", p.RecordCount);
            w.WriteNumber("elapsedMs", p.ElapsedMs);
            w.WriteBoolean("truncated", p.Truncated);
            if (p.TotalAvailable is { } t) w.WriteNumber("totalAvailable", t);
            if (p.Found is { } found)
            {
                w.WriteNumber("found", found);
                w.WriteBoolean("foundExact", p.FoundExact);
            }
            if (p.Rejected > 0) w.WriteNumber("rejected", p.Rejected);
            if (p.FromCache) w.WriteBoolean("fromCache", true);
            if (p.Message is { } m) w.WriteString("message", m);
        }
    }

    public static void WriteRecord(Utf8JsonWriter w, DataRecord r)
    {
        w.WriteStartObject();
        w.WriteString(Provider, r.Provider);
        w.WriteString(FileId, r.FileId);
        Opt(w, Source, r.Source);
        Opt(w, Instrument, r.Instrument);
        Opt(w, Detector, r.Detector);
        Opt(w, Physobs, r.Physobs);
        Opt(w, Level, r.Level);
        if (r.Start is { } s) WriteTime(w, Start, s);
        if (r.End is { } e) WriteTime(w, End, e);
        if (r.WaveMin is { } wmin) w.WriteNumber(WaveMin, wmin);
        if (r.WaveMax is { } wmax) w.WriteNumber(WaveMax, wmax);
        if (r.WaveMin is not null || r.WaveMax is not null) w.WriteString(WaveUnit, Angstrom);
        Opt(w, WaveType, r.WaveType);
        if (r.Extent is { IsEmpty: false } x)
        {
            w.WriteStartObject(Extent);
            if (x.X is not null) w.WriteString("x", x.X);
            if (x.Y is not null) w.WriteString("y", x.Y);
            if (x.Width is not null) w.WriteString("width", x.Width);
            if (x.Length is not null) w.WriteString("length", x.Length);
            if (x.Type is not null) w.WriteString("type", x.Type);
            w.WriteEndObject();
        }
        if (r.SizeKb is { } kb) w.WriteNumber(SizeKb, kb);
        Opt(w, Info, r.Info);
        Opt(w, DataType, r.DataType);
        Opt(w, DownloadUrl, r.DownloadUrl);
        Opt(w, ContentType, r.ContentType);
        Opt(w, ThumbnailUrl, r.ThumbnailUrl);
        if (r.Restricted) w.WriteBoolean("restricted", true);
        if (r.AlsoAt is { Count: > 0 } alternatives)
        {
            // The same dataset at other providers (same publisher DID or configured identity): GetData falls over to them.
            w.WriteStartArray(AlsoAt);
            foreach (var a in alternatives)
            {
                w.WriteStartObject();
                w.WriteString(Provider, a.Provider);
                w.WriteString(FileId, a.FileId);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    /// <summary>The wire name of a status (ok, empty, timeout, error, circuit-open, skipped): the name every JSON enum gets (<see cref="BrokerJson"/>).</summary>
    public static string StatusName(ProviderStatus status) => status.WireName();

    /// <summary>yyyy-MM-ddTHH:mm:ss.fffZ, formatted into a stack buffer (no string per value).</summary>
    private static void WriteTime(Utf8JsonWriter w, JsonEncodedText name, DateTimeOffset time)
    {
        Span<byte> buffer = stackalloc byte[SolarTime.IsoLength];
        SolarTime.FormatIso(time, buffer);
        w.WriteString(name, buffer);
    }

    private static JsonEncodedText Name(string name) => JsonEncodedText.Encode(name);

    private static void Opt(Utf8JsonWriter w, JsonEncodedText name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }
}
