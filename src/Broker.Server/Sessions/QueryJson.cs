using System.Text.Json;
using Broker.Core.Model;
using Broker.Core.Units;
using Broker.Server.Rest;
using Broker.Sessions;

namespace Broker.Server.Sessions;

/// <summary>
/// The JSON of a session's stored queries, in the search's own names: the provider status lines are written by
/// <see cref="SearchResultJson.WriteProviders"/> and the records by <see cref="RecordJson"/>, so a stored query
/// reads like the search that produced it. The query itself is echoed in the search's parameter names.
/// </summary>
public static class QueryJson
{
    public static void WriteSummary(Utf8JsonWriter w, QuerySummary q)
    {
        w.WriteStartObject();
        w.WriteString("queryId", q.QueryId);
        w.WriteString("createdAt", SolarTime.ToIso(q.CreatedAt));
        w.WriteNumber("total", q.Total);
        w.WriteNumber("returned", q.RecordCount);
        w.WriteNumber("stored", q.StoredRecords);
        w.WriteBoolean("truncated", q.Truncated);
        w.WriteNumber("elapsedMs", q.ElapsedMs);
        WriteQuery(w, q.Query);
        SearchResultJson.WriteProviders(w, q.Providers);
        w.WriteEndObject();
    }

    /// <summary>A page of stored records; <c>next</c> is the following page's path while records remain.</summary>
    public static void WritePage(Utf8JsonWriter w, RecordPage page, string? next)
    {
        w.WriteStartObject();
        w.WriteString("queryId", page.QueryId);
        w.WriteNumber("offset", page.Offset);
        w.WriteNumber("limit", page.Limit);
        w.WriteNumber("stored", page.Total);
        w.WriteStartArray("records");
        foreach (var r in page.Records) w.WriteRawValue(RecordJson.Render(r), skipInputValidation: true);
        w.WriteEndArray();
        if (next is not null) w.WriteString("next", next);
        w.WriteEndObject();
    }

    /// <summary><c>{"blocks":[{"start":…,"end":…,"instrument":…,"waveMin":…,"waveUnit":"Angstrom"}]}</c>: the normalized OR-blocks.</summary>
    private static void WriteQuery(Utf8JsonWriter w, NormalizedQuery query)
    {
        w.WriteStartObject("query");
        w.WriteStartArray("blocks");
        foreach (var b in query.Blocks)
        {
            w.WriteStartObject();
            w.WriteString("start", SolarTime.ToIso(b.Time.Start));
            w.WriteString("end", SolarTime.ToIso(b.Time.End));
            if (b.Time.Near is { } near) w.WriteString("near", SolarTime.ToIso(near));
            Opt(w, "provider", b.Provider);
            Opt(w, "source", b.Source);
            Opt(w, "instrument", b.Instrument);
            Opt(w, "detector", b.Detector);
            Opt(w, "physobs", b.Physobs);
            Opt(w, "level", b.Level);
            if (b.Wave is { } wave)
            {
                // An open end (±Infinity) is left out: JSON numbers have no infinity.
                WriteBound(w, "waveMin", wave.MinAngstrom);
                WriteBound(w, "waveMax", wave.MaxAngstrom);
                w.WriteString("waveUnit", "Angstrom");
                Opt(w, "waveType", wave.WaveType);
            }
            if (b.Extent is { IsEmpty: false } x)
            {
                w.WriteStartObject("extent");
                Opt(w, "x", x.X);
                Opt(w, "y", x.Y);
                Opt(w, "width", x.Width);
                Opt(w, "length", x.Length);
                Opt(w, "type", x.Type);
                w.WriteEndObject();
            }
            Opt(w, "pixels", b.Pixels);
            Opt(w, "resolution", b.Resolution);
            Opt(w, "sample", b.Sample);
            Opt(w, "filter", b.Filter);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteBound(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value);
    }

    private static void Opt(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }
}
