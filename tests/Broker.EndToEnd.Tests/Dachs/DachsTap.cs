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

    /// <summary>
    /// DaCHS's other transient failure seen beside its jobs-table one: a fresh-clone run's job listing, sent while the
    /// broker created a job, was answered 400 with this (DaCHS's database connection, not the request, had failed).
    /// </summary>
    public const string ConnectionClosed = "connection already closed";

    /// <summary>How often a request DaCHS failed with a transient error (<see cref="IsTransient"/>) is sent again.</summary>
    public const int BusyAttempts = 4;

    /// <summary>True when DaCHS's answer is one of its own transient failures, not an answer to the question.</summary>
    public static bool IsTransient(string answer) =>
        answer.Contains(JobsTableBusy, StringComparison.Ordinal) || answer.Contains(ConnectionClosed, StringComparison.Ordinal);

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
            if (IsTransient(text) && attempt < BusyAttempts) continue;
            if (!response.IsSuccessStatusCode || text.TrimStart().StartsWith('<'))
                throw new InvalidOperationException($"DaCHS rejected {adql}: {(int)response.StatusCode}\n{text}");
            return text;
        }
    }

    /// <summary>
    /// The UWS jobs DaCHS holds (id and phase), whoever created them. Listing them takes the same jobs-table lock, and
    /// DaCHS's transient failures (<see cref="IsTransient"/>) came as 400s while the broker created a job.
    /// </summary>
    public async Task<IReadOnlyList<(string Id, string Phase)>> JobsAsync()
    {
        string text;
        for (var attempt = 1; ; attempt++)
        {
            using var response = await _http.GetAsync(new Uri(tapUrl, "tap/async"));
            text = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode) break;
            if (IsTransient(text) && attempt < BusyAttempts) continue;
            throw new InvalidOperationException($"DaCHS did not list its jobs: {(int)response.StatusCode}\n{text}");
        }
        return XDocument.Parse(text).Root!.Elements(Uws + "jobref")
            .Select(j => ((string)j.Attribute("id")!, (string?)j.Element(Uws + "phase") ?? ""))
            .ToList();
    }

    public void Dispose() => _http.Dispose();
}
