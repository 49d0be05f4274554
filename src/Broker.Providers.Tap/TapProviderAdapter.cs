using Broker.Adql;
using Broker.Core.Configuration;
using Broker.Core.Model;
using Broker.Core.Providers;
using Broker.Providers.Tap.Metadata;
using Broker.Providers.Tap.Profiles;
using Broker.Providers.Tap.Protocol;

namespace Broker.Providers.Tap;

/// <summary>
/// A TAP service behind the broker: blocks become ADQL through the profile, run sync or as UWS jobs, and rows
/// become records. Resilience (timeouts, retries, circuit) is the engine's, around this adapter.
/// </summary>
internal sealed class TapProviderAdapter : IProviderAdapter, IProviderCounter, IProviderHealthCheck, IDataUrlHosts, IProviderHttpClient, IRemoteJobCleanup
{
    private const int ResolveChunk = 100;

    private readonly TapProfile _profile;
    private readonly TapClient _client;
    private readonly TapMetadataChecker _checker;
    private readonly ProviderCapabilities _declared;

    public TapProviderAdapter(ProviderConfig config, TapProviderOptions options, TapProfile profile, TapClient client,
        TapMetadataChecker checker, TapEndpoints endpoints, HttpClient http)
    {
        Http = http;
        Id = config.Id;
        Options = options;
        _profile = profile;
        _client = client;
        _checker = checker;
        _declared = config.Capabilities;
        profile.Aliases = config.Capabilities.Aliases;
        var hosts = new HashSet<string>(options.DataUrlHosts, StringComparer.OrdinalIgnoreCase) { endpoints.Data.Host };
        hosts.Remove(config.Url.Host);
        DataUrlHosts = hosts;
    }

    public string Id { get; }
    public TapProviderOptions Options { get; }
    /// <summary>Recomputed on each read: what the profile can filter depends on the tables the service declared.</summary>
    public ProviderCapabilities Capabilities => BuildCapabilities(_declared, Options, _profile);
    public IReadOnlyCollection<string> DataUrlHosts { get; }
    public HttpClient Http { get; }

    public async Task<ProviderAnswer> SearchAsync(QueryBlock block, int maxRecords, CancellationToken cancellationToken)
    {
        await _checker.EnsureLearntAsync(cancellationToken).ConfigureAwait(false);
        var queries = _profile.BuildSearch(block);
        if (queries.Count == 0) return ProviderAnswer.Empty;
        var rights = _profile.RightsColumn;
        var answers = await Task.WhenAll(queries.Select(q => _client.QueryAsync(WithRights(q, rights), maxRecords, row => Map(row, rights),
                cancellationToken, _profile.ExpectedInAnswer)))
            .ConfigureAwait(false);
        var truncated = answers.Any(a => a.Overflow);
        // Each query is ordered by begin time; across several (one per archive part) the earliest come first too.
        var all = answers.Length == 1 ? answers[0].Items : answers.SelectMany(a => a.Items).OrderBy(r => r.Start ?? DateTimeOffset.MaxValue).ToList();
        // A join may repeat a file (a FITS view with several rows per file); keep each file id once.
        var seen = new HashSet<string>(all.Count, StringComparer.Ordinal);
        var records = new List<DataRecord>(Math.Min(all.Count, maxRecords));
        foreach (var record in all)
        {
            if (!seen.Add(record.FileId)) continue;
            if (records.Count >= maxRecords)
            {
                truncated = true;
                break;
            }
            records.Add(record);
        }
        if (!truncated) return new ProviderAnswer(records);
        // A cut answer says how much it left out: the same WHERE clauses as COUNT(*) queries.
        var total = await CountAsync(queries, cancellationToken).ConfigureAwait(false);
        return new ProviderAnswer(records, true, Math.Max(total, records.Count)) { TotalExact = true };
    }

    public async Task<long> CountAsync(QueryBlock block, CancellationToken cancellationToken)
    {
        await _checker.EnsureLearntAsync(cancellationToken).ConfigureAwait(false);
        var queries = _profile.BuildSearch(block);
        return queries.Count == 0 ? 0 : await CountAsync(queries, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs each query as <c>SELECT COUNT(*) AS n … WHERE …</c> (in parallel) and sums: the queries of a block never overlap.</summary>
    private async Task<long> CountAsync(IReadOnlyList<SelectStatement> queries, CancellationToken cancellationToken)
    {
        var counts = await Task.WhenAll(queries.Select(q => _client.QueryAsync(CountOf(q), 1, ReadCount, cancellationToken)))
            .ConfigureAwait(false);
        return counts.Sum(c => c.Items.Count == 1 ? (long)c.Items[0] : throw new ProviderException($"{Id} answered a COUNT(*) query without its row"));
    }

    private static SelectStatement CountOf(SelectStatement query) => query with
    {
        Items = new SelectItem[] { new ExpressionItem(Adql.Adql.CountAll(), new Identifier("n")) },
        OrderBy = ValueList<OrderItem>.Empty,
        Top = null,
    };

    private static object? ReadCount(ResultRow row) =>
        row.Double("n") is { } n ? (long)n : throw new FormatException("column n: the count is empty");

    public async Task<IReadOnlyList<FileLocation>> ResolveFilesAsync(IReadOnlyList<FileRequest> files, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, FileLocation>(StringComparer.Ordinal);
        var toLookUp = new List<string>();
        foreach (var file in files)
        {
            if (found.ContainsKey(file.FileId)) continue;
            if (file.Record?.DownloadUrl is { } url)
                found[file.FileId] = new FileLocation(file.FileId, FileStatus.Ok, url,
                    file.Record.SizeKb is { } kb ? (long)Math.Round(kb * 1024) : null, file.Record.ContentType);
            else if (_profile.LocationFromId(file.FileId) is { } built)
                found[file.FileId] = built;
            else if (!toLookUp.Contains(file.FileId))
                toLookUp.Add(file.FileId);
        }
        foreach (var chunk in toLookUp.Chunk(ResolveChunk))
        {
            var query = _profile.BuildResolve(chunk);
            if (query is null) break;
            var rows = await _client.QueryAsync(query, chunk.Length * 2, _profile.LocationFromRow, cancellationToken).ConfigureAwait(false);
            foreach (var location in rows.Items) found.TryAdd(location.FileId, location);
        }
        return files.Select(f => found.GetValueOrDefault(f.FileId)
            ?? new FileLocation(f.FileId, FileStatus.NotFound, Detail: $"{Id} does not know file id '{f.FileId}'")).ToList();
    }

    /// <summary>Adds the profile's <see cref="TapProfile.RightsColumn"/> to a select list that names its columns (on the first column's table).</summary>
    private static SelectStatement WithRights(SelectStatement query, string? rights)
    {
        if (rights is null || query.Items.Any(i => i is not ExpressionItem)) return query;
        var qualifier = query.Items.OfType<ExpressionItem>().Select(i => (i.Expression as ColumnRef)?.Qualifier).FirstOrDefault();
        return query with { Items = new ValueList<SelectItem>(query.Items.Append(new ExpressionItem(new ColumnRef(qualifier, Identifier.Of(rights))))) };
    }

    /// <summary>The profile's record, marked restricted when its data rights are set and not public.</summary>
    private DataRecord? Map(Profiles.ResultRow row, string? rights)
    {
        var record = _profile.Map(row);
        return record is not null && rights is not null && row.String(rights) is { Length: > 0 } value
            && !value.Trim().Equals("public", StringComparison.OrdinalIgnoreCase)
            ? record with { Restricted = true }
            : record;
    }

    public Task<string?> CheckAsync(CancellationToken cancellationToken) => _checker.CheckAsync(cancellationToken);

    /// <summary>One DELETE for the orphaned-job janitor, bounded by the cleanup timeout.</summary>
    public async Task<string?> DeleteJobAsync(Uri jobUrl, CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(Options.CleanupTimeout);
        return await _client.TryDeleteJobAsync(jobUrl, budget.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// The yaml's capabilities, with what the profile adds: its filters (intersected with declared ones, so an
    /// attribute the ADQL cannot express is never claimed), its provider name, source and instruments.
    /// </summary>
    private static ProviderCapabilities BuildCapabilities(ProviderCapabilities declared, TapProviderOptions options, TapProfile profile)
    {
        var filters = declared.Filters.Count > 0
            ? declared.Filters.Where(profile.Filters.Contains).ToHashSet()
            : profile.Filters.ToHashSet();
        return declared with
        {
            Filters = filters,
            RecordFields = profile.RecordFields,
            FilterGaps = profile.FilterGaps,
            Providers = declared.Providers.Count > 0 ? declared.Providers : options.ProviderName is { } n ? [n] : [],
            Sources = declared.Sources.Count > 0 ? declared.Sources : options.Source is { } s ? [s] : [],
            Instruments = declared.Instruments.Count > 0 ? declared.Instruments : options.Instruments,
        };
    }
}
