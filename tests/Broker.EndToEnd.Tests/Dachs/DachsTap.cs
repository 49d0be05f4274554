using System.Globalization;
using System.Xml.Linq;

namespace Broker.EndToEnd.Tests.Dachs;

/// <summary>
/// Direct questions to DaCHS's own TAP service, bypassing the broker: the reference counts (ADQL COUNT(*) through
/// /tap/sync) and the UWS job list. DaCHS answers errors as HTTP 200 VOTables, so every answer is checked.
/// </summary>
public sealed class DachsTap(Uri tapUrl) : IDisposable
{
    private static readonly XNamespace Uws = "http://www.ivoa.net/xml/UWS/v1.0";
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(120) };

    /// <summary>The single integer an ADQL <c>SELECT COUNT(*) …</c> returns.</summary>
    public async Task<long> CountAsync(string adql)
    {
        var text = await SyncCsvAsync(adql);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length != 2 || !long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            throw new InvalidOperationException($"DaCHS did not answer one count for {adql}:\n{text}");
        return n;
    }

    /// <summary>
    /// DaCHS's own transient failure: it gives statements on its UWS jobs table 100 ms (<c>_DEFAULT_LOCK_TIMEOUT</c> in
    /// gavo/protocols/uws.py, also for sync queries) and reports this when a loaded machine is slower than that.
    /// </summary>
    public const string JobsTableBusy = "Could not access the jobs table";

    /// <summary>How often a request DaCHS failed with <see cref="JobsTableBusy"/> is sent again.</summary>
    public const int BusyAttempts = 4;

    /// <summary>Runs an ADQL query through /tap/sync and returns the CSV answer; a VOTable error becomes an exception.</summary>
    public async Task<string> SyncCsvAsync(string adql)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["REQUEST"] = "doQuery", ["LANG"] = "ADQL", ["FORMAT"] = "csv", ["MAXREC"] = "1000000", ["QUERY"] = adql,
            });
            using var response = await _http.PostAsync(new Uri(tapUrl, "tap/sync"), content);
            var text = await response.Content.ReadAsStringAsync();
            if (text.Contains(JobsTableBusy, StringComparison.Ordinal) && attempt < BusyAttempts) continue;
            if (!response.IsSuccessStatusCode || text.TrimStart().StartsWith('<'))
                throw new InvalidOperationException($"DaCHS rejected {adql}: {(int)response.StatusCode}\n{text}");
            return text;
        }
    }

    /// <summary>
    /// The UWS jobs DaCHS holds (id and phase), whoever created them. Listing them takes the same jobs-table lock:
    /// DaCHS answers 400 with <see cref="JobsTableBusy"/> while the broker creates or deletes a job on a loaded machine.
    /// </summary>
    public async Task<IReadOnlyList<(string Id, string Phase)>> JobsAsync()
    {
        string text;
        for (var attempt = 1; ; attempt++)
        {
            using var response = await _http.GetAsync(new Uri(tapUrl, "tap/async"));
            text = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode) break;
            if (text.Contains(JobsTableBusy, StringComparison.Ordinal) && attempt < BusyAttempts) continue;
            throw new InvalidOperationException($"DaCHS did not list its jobs: {(int)response.StatusCode}\n{text}");
        }
        return XDocument.Parse(text).Root!.Elements(Uws + "jobref")
            .Select(j => ((string)j.Attribute("id")!, (string?)j.Element(Uws + "phase") ?? ""))
            .ToList();
    }

    public void Dispose() => _http.Dispose();
}
