using System.ComponentModel;

namespace Broker.Server.OpenApi;

// The shapes of the JSON documents the broker writes with its own Utf8JsonWriter code (search, stream events, stored
// queries), declared as types only so the OpenAPI document can describe them. `required` marks a member every answer
// has; a nullable member may be absent. The conformance test (OpenApiConformanceTests) compares real answers with
// these schemas, so a writer and its description cannot drift apart.

/// <summary>The answer of GET/POST /api/v1/search (format=json).</summary>
[Description("A federated search: the merged records and one status line per provider asked or skipped.")]
public sealed record SearchDocument
{
    [Description("Id of this search in the session's history (/api/v1/queries/{queryId}).")]
    public required string QueryId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    [Description("Records the providers reported, after de-duplication; a lower bound unless totalExact is true.")]
    public required int Total { get; init; }
    [Description("True when total is the exact count (every provider counted exactly).")]
    public bool? TotalExact { get; init; }
    [Description("Records in this answer.")]
    public required int Returned { get; init; }
    [Description("True when the answer holds fewer records than were found (limit or a provider's cap).")]
    public required bool Truncated { get; init; }
    [Description("VAMDC's truncation: the share of all found records that this answer returns, in percent (only for a cut answer with an exact total).")]
    public double? TruncatedPercent { get; init; }
    public required long ElapsedMs { get; init; }
    public required IReadOnlyList<ProviderOutcomeDocument> Providers { get; init; }
    public required IReadOnlyList<RecordDocument> Records { get; init; }
}

/// <summary>One provider's status line in a search (also a stream's provider event without records).</summary>
[Description("How one provider answered: ok, empty (asked, said zero), timeout, error, circuit-open, skipped (with why), unauthorized.")]
public sealed record ProviderOutcomeDocument
{
    [Description("Provider id (as in /api/v1/providers).")]
    public required string Id { get; init; }
    [Description("ok, empty, timeout, error, circuit-open, skipped, unauthorized (pending only in a stream's plan).")]
    public required string Status { get; init; }
    [Description("Records this provider contributed.")]
    public required int Records { get; init; }
    public required long ElapsedMs { get; init; }
    [Description("True when the provider's answer was cut at its record cap.")]
    public required bool Truncated { get; init; }
    [Description("Records the provider said it holds, when it said so.")]
    public long? TotalAvailable { get; init; }
    [Description("Records the provider found, when known.")]
    public int? Found { get; init; }
    [Description("True when found is exact (false: a lower bound).")]
    public bool? FoundExact { get; init; }
    [Description("Records the broker's own check rejected (omitted when 0).")]
    public int? Rejected { get; init; }
    [Description("True when the answer came from the broker's cache (omitted otherwise).")]
    public bool? FromCache { get; init; }
    [Description("Why the provider was skipped or failed.")]
    public string? Message { get; init; }
}

/// <summary>One record of a search: what a provider holds, in the broker's normalized units.</summary>
[Description("One file a provider holds: times UTC, wavelengths in Angstrom, size in kB.")]
public sealed record RecordDocument
{
    [Description("Id of the provider that holds the file.")]
    public required string Provider { get; init; }
    [Description("The file's id at its provider (what GetData resolves).")]
    public required string FileId { get; init; }
    public string? Source { get; init; }
    public string? Instrument { get; init; }
    public string? Detector { get; init; }
    public string? Physobs { get; init; }
    public string? Level { get; init; }
    public DateTimeOffset? Start { get; init; }
    public DateTimeOffset? End { get; init; }
    public double? WaveMin { get; init; }
    public double? WaveMax { get; init; }
    [Description("Always Angstrom when a wavelength is given.")]
    public string? WaveUnit { get; init; }
    public string? WaveType { get; init; }
    public ExtentDocument? Extent { get; init; }
    public double? SizeKb { get; init; }
    public string? Info { get; init; }
    public string? DataType { get; init; }
    public string? DownloadUrl { get; init; }
    public string? ContentType { get; init; }
    public string? ThumbnailUrl { get; init; }
    [Description("True when the provider returned this record only because of credentials (its data rights are not public); absent otherwise.")]
    public bool? Restricted { get; init; }
    [Description("Other providers serving the same dataset (same publisher DID or configured identity), as provider and file id; GetData falls over to them. Omitted when none.")]
    public IReadOnlyList<Broker.Core.Model.RecordAlternative>? AlsoAt { get; init; }
}

/// <summary>The spatial extent of a record or a query block, as VSO gives it.</summary>
public sealed record ExtentDocument(string? X, string? Y, string? Width, string? Length, string? Type);

/// <summary>GET /api/v1/queries: the session's history.</summary>
public sealed record QueryHistoryDocument
{
    public required string SessionId { get; init; }
    public required IReadOnlyList<QuerySummaryDocument> Queries { get; init; }
}

/// <summary>One stored query of the session (GET /api/v1/queries/{id}).</summary>
[Description("A search the session ran: its normalized query, counts and provider status lines; records page under …/records.")]
public sealed record QuerySummaryDocument
{
    public required string QueryId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required int Total { get; init; }
    public required int Returned { get; init; }
    [Description("Records kept for paging (Sessions:MaxStoredRecords).")]
    public required int Stored { get; init; }
    public required bool Truncated { get; init; }
    public required long ElapsedMs { get; init; }
    public required StoredQueryDocument Query { get; init; }
    public required IReadOnlyList<ProviderOutcomeDocument> Providers { get; init; }
}

/// <summary>The normalized OR-blocks of a stored query.</summary>
public sealed record StoredQueryDocument
{
    public required IReadOnlyList<StoredBlockDocument> Blocks { get; init; }
}

/// <summary>One normalized block, in the search's parameter names (wavelengths in Angstrom).</summary>
public sealed record StoredBlockDocument
{
    public required DateTimeOffset Start { get; init; }
    public required DateTimeOffset End { get; init; }
    public DateTimeOffset? Near { get; init; }
    public string? Provider { get; init; }
    public string? Source { get; init; }
    public string? Instrument { get; init; }
    public string? Detector { get; init; }
    public string? Physobs { get; init; }
    public string? Level { get; init; }
    public double? WaveMin { get; init; }
    public double? WaveMax { get; init; }
    public string? WaveUnit { get; init; }
    public string? WaveType { get; init; }
    public ExtentDocument? Extent { get; init; }
    public string? Pixels { get; init; }
    public string? Resolution { get; init; }
    public string? Sample { get; init; }
    public string? Filter { get; init; }
}

/// <summary>GET /api/v1/queries/{id}/records: one page of a stored query's records.</summary>
public sealed record RecordPageDocument
{
    public required string QueryId { get; init; }
    public required int Offset { get; init; }
    public required int Limit { get; init; }
    [Description("Records stored for this query (all pages).")]
    public required int Stored { get; init; }
    public required IReadOnlyList<RecordDocument> Records { get; init; }
    [Description("Path of the next page, while records remain.")]
    public string? Next { get; init; }
}

/// <summary>The data of a streamed search's <c>plan</c> event.</summary>
[Description("event: plan — the providers asked (status pending) and skipped (with why), before any is asked.")]
public sealed record StreamPlanEvent
{
    public required string QueryId { get; init; }
    public required IReadOnlyList<StreamPlanProvider> Providers { get; init; }
}

/// <summary>A provider in the plan: asked (status pending, id only) or skipped (its full status line with the reason).</summary>
public sealed record StreamPlanProvider
{
    public required string Id { get; init; }
    [Description("pending (asked) or skipped.")]
    public required string Status { get; init; }
    public int? Records { get; init; }
    public long? ElapsedMs { get; init; }
    public bool? Truncated { get; init; }
    public long? TotalAvailable { get; init; }
    public int? Found { get; init; }
    public bool? FoundExact { get; init; }
    public int? Rejected { get; init; }
    public bool? FromCache { get; init; }
    public string? Message { get; init; }
}

/// <summary>The data of a streamed search's <c>provider</c> event: a status line with that provider's records in place of their count.</summary>
[Description("event: provider — one per asked provider as it finishes: its status line members, with \"records\" holding its records.")]
public sealed record StreamProviderEvent
{
    public required string Id { get; init; }
    public required string Status { get; init; }
    public required long ElapsedMs { get; init; }
    public required bool Truncated { get; init; }
    public long? TotalAvailable { get; init; }
    public int? Found { get; init; }
    public bool? FoundExact { get; init; }
    public int? Rejected { get; init; }
    public bool? FromCache { get; init; }
    public string? Message { get; init; }
    [Description("The provider's records (their count is the list's length).")]
    public required IReadOnlyList<RecordDocument> Records { get; init; }
}

/// <summary>The data of a streamed search's <c>summary</c> event: the search document without records.</summary>
[Description("event: summary — the last event: merged totals after cross-provider de-duplication.")]
public sealed record StreamSummaryEvent
{
    public required string QueryId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required int Total { get; init; }
    public bool? TotalExact { get; init; }
    public required int Returned { get; init; }
    public required bool Truncated { get; init; }
    public double? TruncatedPercent { get; init; }
    public required long ElapsedMs { get; init; }
    public required IReadOnlyList<ProviderOutcomeDocument> Providers { get; init; }
}

/// <summary>The data of a streamed search's <c>error</c> event: the search failed after the stream began.</summary>
public sealed record StreamErrorEvent(string Title, string Detail);
