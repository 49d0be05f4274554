using System.Text.Json;
using Broker.Core.Model;
using Broker.Core.Search;
using Broker.Core.Units;

namespace Broker.Server.Rest;

/// <summary>
/// Writes a search result as JSON straight to the response with a Utf8JsonWriter: no intermediate object graph,
/// because a merged result of tens of thousands of records is on the hot path of every search.
/// </summary>
public static class SearchResultJson
{
    public static async Task WriteAsync(Stream body, SearchResult result, CancellationToken cancellationToken)
    {
        await using var w = new Utf8JsonWriter(body, new JsonWriterOptions { SkipValidation = true });
        w.WriteStartObject();
        w.WriteString("queryId", result.QueryId);
        w.WriteString("createdAt", SolarTime.ToIso(result.CreatedAt));
        w.WriteNumber("total", result.Total);
        w.WriteNumber("returned", result.Records.Count);
        w.WriteBoolean("truncated", result.Truncated);
        w.WriteNumber("truncatedPercent", result.TruncatedPercent);
        w.WriteNumber("elapsedMs", result.ElapsedMs);
        WriteProviders(w, result.Providers);
        w.WriteStartArray("records");
        var n = 0;
        foreach (var r in result.Records)
        {
            WriteRecord(w, r);
            if (++n % 2000 == 0 && w.BytesPending > 0) await w.FlushAsync(cancellationToken);
        }
        w.WriteEndArray();
        w.WriteEndObject();
        await w.FlushAsync(cancellationToken);
    }

    public static void WriteProviders(Utf8JsonWriter w, IEnumerable<ProviderOutcome> providers)
    {
        w.WriteStartArray("providers");
        foreach (var p in providers)
        {
            w.WriteStartObject();
            w.WriteString("id", p.ProviderId);
            w.WriteString("status", StatusName(p.Status));
            w.WriteNumber("records", p.RecordCount);
            w.WriteNumber("elapsedMs", p.ElapsedMs);
            w.WriteBoolean("truncated", p.Truncated);
            if (p.TotalAvailable is { } t) w.WriteNumber("totalAvailable", t);
            if (p.FromCache) w.WriteBoolean("fromCache", true);
            if (p.Message is { } m) w.WriteString("message", m);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public static void WriteRecord(Utf8JsonWriter w, DataRecord r)
    {
        w.WriteStartObject();
        w.WriteString("provider", r.Provider);
        w.WriteString("fileId", r.FileId);
        Opt(w, "source", r.Source);
        Opt(w, "instrument", r.Instrument);
        Opt(w, "detector", r.Detector);
        Opt(w, "physobs", r.Physobs);
        Opt(w, "level", r.Level);
        if (r.Start is { } s) w.WriteString("start", SolarTime.ToIso(s));
        if (r.End is { } e) w.WriteString("end", SolarTime.ToIso(e));
        if (r.WaveMin is { } wmin) w.WriteNumber("waveMin", wmin);
        if (r.WaveMax is { } wmax) w.WriteNumber("waveMax", wmax);
        if (r.WaveMin is not null || r.WaveMax is not null) w.WriteString("waveUnit", "Angstrom");
        Opt(w, "waveType", r.WaveType);
        if (r.Extent is { IsEmpty: false } x)
        {
            w.WriteStartObject("extent");
            Opt(w, "x", x.X);
            Opt(w, "y", x.Y);
            Opt(w, "width", x.Width);
            Opt(w, "length", x.Length);
            Opt(w, "type", x.Type);
            w.WriteEndObject();
        }
        if (r.SizeKb is { } kb) w.WriteNumber("sizeKb", kb);
        Opt(w, "info", r.Info);
        Opt(w, "dataType", r.DataType);
        Opt(w, "downloadUrl", r.DownloadUrl);
        Opt(w, "contentType", r.ContentType);
        Opt(w, "thumbnailUrl", r.ThumbnailUrl);
        w.WriteEndObject();
    }

    /// <summary>The wire name of a status: ok, empty, timeout, error, circuit-open, skipped.</summary>
    public static string StatusName(ProviderStatus status) => status switch
    {
        ProviderStatus.Ok => "ok",
        ProviderStatus.Empty => "empty",
        ProviderStatus.Timeout => "timeout",
        ProviderStatus.Error => "error",
        ProviderStatus.CircuitOpen => "circuit-open",
        _ => "skipped",
    };

    private static void Opt(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }
}
