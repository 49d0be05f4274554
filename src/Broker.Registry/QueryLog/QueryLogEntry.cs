using Broker.Core.Search;
using Broker.Core.Services;
using Broker.Registry.Database;

namespace Broker.Registry.QueryLog;

/// <summary>One provider's outcome in a logged search (a row of <c>query_log_provider</c>).</summary>
internal sealed record QueryLogProviderRow(string ProviderId, string Status, long ElapsedMs, int RecordCount, bool FromCache);

/// <summary>
/// One finished search as the log stores it: the session as the log lines' keyed hash (<see cref="SessionLogHash"/>),
/// so a stored query matches its request log lines and the raw id is never stored. Built on the request path from
/// small values only (never the records), so a full buffer holds no result sets.
/// </summary>
internal sealed record QueryLogEntry(
    string QueryId, DateTimeOffset CreatedAt, string? SessionHash, string QueryJson, string ProvidersJson,
    int RecordCount, int Total, bool Truncated, long ElapsedMs, IReadOnlyList<QueryLogProviderRow> Providers)
{
    public static QueryLogEntry From(SearchRequest request, SearchResult result) => new(
        result.QueryId, result.CreatedAt, SessionLogHash.Of(request.SessionId), Json.Serialize(result.Query),
        Json.Serialize(result.Providers), result.Records.Count, result.Total, result.Truncated, result.ElapsedMs,
        result.Providers.Select(p => new QueryLogProviderRow(p.ProviderId, p.Status.ToString(), p.ElapsedMs, p.RecordCount, p.FromCache)).ToList());
}
