using System.Net;
using System.Text;

namespace Broker.TapService.Vosi;

/// <summary>The DALI examples page (XHTML + RDFa): queries a newcomer can run as they are.</summary>
public static class ExamplesDocument
{
    /// <summary>One example: id, title, explanation, ADQL, and the tables it reads.</summary>
    public sealed record Example(string Id, string Name, string Text, string Query, params string[] Tables);

    public static readonly IReadOnlyList<Example> Examples =
    [
        new("records-in-a-day", "All records of one day", "Every provider is asked for records overlapping the time range; the broker merges the answers.",
            "SELECT TOP 100 provider, fileid, instrument, time_start, time_end, wavemin, wavemax\nFROM vso.records\nWHERE time_end >= '2022-03-21T08:00:00' AND time_start <= '2022-03-21T09:00:00'",
            "vso.records"),
        new("instrument-wavelength", "One instrument in a wavelength band", "Instrument and wavelength conditions are passed to the providers; the ORDER BY is applied by the broker.",
            "SELECT provider, fileid, time_start, wavemin, filesize\nFROM vso.records\nWHERE time_end >= '2022-03-21T00:00:00' AND time_start <= '2022-03-22T00:00:00'\n  AND instrument = 'EUI' AND wavemin <= 180 AND wavemax >= 170\nORDER BY time_start",
            "vso.records"),
        new("count-per-provider", "Records per provider and instrument", "GROUP BY and aggregates are evaluated on the merged rows.",
            "SELECT provider, instrument, COUNT(*) AS n, MIN(time_start) AS first_start\nFROM vso.records\nWHERE time_end >= '2022-03-21T00:00:00' AND time_start <= '2022-03-21T12:00:00'\nGROUP BY provider, instrument",
            "vso.records"),
        new("obscore", "ObsCore view", "The same records in ObsCore 1.1 terms: MJD times, wavelengths in metres, access_url = the broker's DataLink service.",
            "SELECT TOP 20 obs_publisher_did, instrument_name, t_min, t_max, em_min, em_max, access_url, access_format\nFROM ivoa.obscore\nWHERE t_max >= 59659.0 AND t_min <= 59659.5",
            "ivoa.obscore"),
        new("providers", "Provider state", "The registry with each provider's live state, answered without asking any provider.",
            "SELECT provider, type, circuit, last_status, last_latency FROM vso.providers", "vso.providers"),
    ];

    public static byte[] Write()
    {
        var b = new StringBuilder();
        b.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n")
         .Append("<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>Examples: VSO broker TAP service</title></head>\n")
         .Append("<body vocab=\"http://www.ivoa.net/rdf/examples#\">\n<h1>Examples for the VSO broker's TAP service</h1>\n");
        foreach (var e in Examples)
        {
            b.Append("<div typeof=\"example\" id=\"").Append(e.Id).Append("\" resource=\"#").Append(e.Id).Append("\">\n")
             .Append("<h2 property=\"name\">").Append(WebUtility.HtmlEncode(e.Name)).Append("</h2>\n")
             .Append("<p>").Append(WebUtility.HtmlEncode(e.Text)).Append("</p>\n")
             .Append("<pre property=\"query\">").Append(WebUtility.HtmlEncode(e.Query)).Append("</pre>\n");
            foreach (var t in e.Tables) b.Append("<p>Table: <span property=\"table\">").Append(t).Append("</span></p>\n");
            b.Append("</div>\n");
        }
        b.Append("</body></html>\n");
        return new UTF8Encoding(false).GetBytes(b.ToString());
    }
}
