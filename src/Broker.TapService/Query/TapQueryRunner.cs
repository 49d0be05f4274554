using System.Globalization;
using Broker.Adql;
using Broker.Core.Model;
using Broker.Core.Search;
using Broker.Core.Units;
using Broker.Core.Validation;
using Broker.TapService.Schema;
using Broker.VoTable;

namespace Broker.TapService.Query;

/// <summary>
/// Runs one ADQL query: TAP_SCHEMA and vso.providers locally; vso.records and ivoa.obscore by fanning the conditions
/// the normalized query can express out to the providers (through the same engine, cache and normalizer as REST),
/// then evaluating the whole query on the merged rows with the project's ADQL evaluator.
/// </summary>
public sealed class TapQueryRunner(
    SearchEngine engine, QueryNormalizer normalizer, IProviderCatalog providers, QueryLimits limits, TapServiceOptions options, TimeProvider time)
{
    private static readonly TapMetadata Metadata = TapMetadata.Default;
    private readonly FanOutPlanner _planner = new(limits.MaxBlocks);

    /// <summary>Checks LANG, RESPONSEFORMAT and MAXREC (the parameters that do not need the query).</summary>
    /// <exception cref="TapQueryException">One of them is invalid.</exception>
    public static (string? Format, long? MaxRec) ValidateParameters(TapParameters p)
    {
        var lang = p["LANG"];
        if (lang is not null && !IsAdql(lang)) throw new TapQueryException($"unknown query language: {lang} (this service speaks ADQL, ADQL-2.0 and ADQL-2.1)");
        var format = p["RESPONSEFORMAT"] ?? p["FORMAT"];
        if (!TableWriters.TryParseFormat(format, out _))
            throw new TapQueryException($"unsupported RESPONSEFORMAT '{format}'; use votable, votable/b2, csv, tsv or json");
        long? maxRec = null;
        if (p["MAXREC"] is { } m)
        {
            if (!long.TryParse(m.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                throw new TapQueryException($"MAXREC must be a non-negative integer, not '{m}'");
            maxRec = n;
        }
        return (format, maxRec);
    }

    private static bool IsAdql(string lang) => lang.Trim().ToUpperInvariant() is "ADQL" or "ADQL-2.0" or "ADQL-2.1";

    /// <summary>Runs the query up to the point where rows can be streamed.</summary>
    /// <exception cref="TapQueryException">The query cannot run; the message says why (with the position for syntax errors).</exception>
    public async Task<TapResult> RunAsync(TapRequest request, CancellationToken cancellationToken)
    {
        var (_, maxRecGiven) = ValidateParameters(request.Parameters);
        var maxRec = Math.Min(maxRecGiven ?? options.DefaultMaxRec, engine.Options.MaxLimit);
        var text = request.Parameters["QUERY"];
        if (string.IsNullOrWhiteSpace(text)) throw new TapQueryException("QUERY is missing: give an ADQL query");

        SelectStatement statement;
        try
        {
            statement = AdqlParser.Parse(text);
        }
        catch (AdqlSyntaxException ex)
        {
            throw new TapQueryException(ex.Message);
        }

        var tables = ReferencedTables(statement);
        var geometry = GeometryCalls.FindAll(text);
        SkyPositions.CheckColumns(geometry, tables.Select(t => t.Table).ToList());
        var recordTables = tables.Where(t => t.Table.Source == TableSource.Records).Select(t => t.Table).Distinct().ToList();
        if (recordTables.Count > 1)
            throw new TapQueryException("a query may read one of vso.records and ivoa.obscore, not both (they hold the same records)");

        // Bind names and types before asking any provider, so a mistyped column costs nobody a fan-out.
        Execute(statement, tables, null, request.ServiceUrl, maxRec);
        if (recordTables.Count == 0)
            return Result(Execute(statement, tables, null, request.ServiceUrl, maxRec), tables, [], null, false);

        var recordTable = recordTables[0];
        var names = tables.Where(t => t.Table == recordTable).SelectMany(t => t.Names).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var plan = _planner.Plan(recordTable, statement.Where, names);
        var positional = geometry.Count > 0;
        if (plan.MatchesNothing)
        {
            var none = new VoTableInfo("federation", "not-asked", "No provider was asked: the conditions contradict what every record of " + recordTable.Name + " holds.");
            return Result(Execute(statement, tables, [], request.ServiceUrl, maxRec), tables, [none], null, false);
        }

        var probe = plan.UnboundedBlocks > 0;
        var needed = probe ? RowsNeededFromProbe(statement, maxRec, recordTable, positional) : 0;
        var blocks = plan.Blocks.Select(b => probe ? Probe(b) : b.Input).ToList();
        NormalizedQuery query;
        try
        {
            query = normalizer.Normalize(blocks);
        }
        catch (QueryValidationException ex)
        {
            throw new TapQueryException(string.Join("; ", ex.Errors.Select(e => e.Message)));
        }

        SearchResult search;
        var notKept = request.SessionStoreDown;
        try
        {
            search = await engine.SearchAsync(new SearchRequest
            {
                Query = query, Limit = engine.Options.MaxLimit, SessionId = request.SessionId, BypassCache = request.BypassCache,
                OnlyProviders = plan.OnlyProviders, Credentials = request.Credentials,
                SessionStoreUnavailable = request.SessionStoreUnavailable is null ? null : () =>
                {
                    notKept = true;
                    request.SessionStoreUnavailable();
                },
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (NoProviderException ex)
        {
            throw new TapQueryException("No provider can answer this query: " + string.Join("; ", ex.Reasons.Select(r => $"{r.Key}: {r.Value}")));
        }

        var asked = search.Providers.Where(p => p.Status != ProviderStatus.Skipped).ToList();
        if (asked.Count > 0 && asked.All(p => p.Status is ProviderStatus.Error or ProviderStatus.Timeout or ProviderStatus.CircuitOpen))
            throw new TapQueryException("no provider answered, so the broker cannot say what matches: " +
                string.Join("; ", asked.OrderBy(p => p.ProviderId, StringComparer.Ordinal).Select(p => $"{p.ProviderId}: {Outcome(p)}")));
        var infos = ProviderInfos(search);
        if (notKept) infos.Add(SessionNotKept);
        var cut = search.Truncated;
        var evaluated = Execute(statement, tables, search.Records, request.ServiceUrl, maxRec);
        if (probe)
        {
            // The window's rows answer the query only if there are enough of them; otherwise the answer would claim
            // fewer rows than the archives hold.
            var rows = Execute(statement, tables, search.Records, request.ServiceUrl, maxRec: null).Rows.Take((int)Math.Min(needed, int.MaxValue)).Count();
            if (rows < needed) throw Unbounded(recordTable, positional);
            cut = false; // any rows of the window answer the query, however many more the window holds
            infos.Add(new VoTableInfo("probe_window", SolarTime.ToIso(ProbeEnd - options.ProbeWindow) + "/" + SolarTime.ToIso(ProbeEnd),
                "No bounded time range was given and only some rows were asked for: they come from this window."));
        }
        if (positional) infos.AddRange(SkyPositions.Missing(search.Records));
        if (cut) infos.Add(new VoTableInfo("federation", "truncated",
            $"The providers matched more records than the broker merges at once ({search.Records.Count} of {search.Total}+); narrow the time range for a complete answer."));
        return Result(evaluated, tables, infos, search, cut);
    }

    /// <summary>The REST door's <c>VSO-Warning: session store unavailable</c>, for VOTable readers.</summary>
    internal static readonly VoTableInfo SessionNotKept = new("warning", "session store unavailable",
        "The session store is unavailable, so this search is not kept in the session: it will be missing from the session's " +
        "query history and its records cannot be fetched by file id later. The rows here are complete; run the query again " +
        "once the store is back to keep it.");

    private DateTimeOffset ProbeEnd => options.ProbeEnd ?? time.GetUtcNow();

    private QueryBlockInput Probe(PlannedBlock b)
    {
        var end = b.End ?? (b.Start is { } s ? s + options.ProbeWindow : ProbeEnd);
        var start = b.Start ?? end - options.ProbeWindow;
        return b.Input with { Start = SolarTime.ToIso(start), End = SolarTime.ToIso(end) };
    }

    /// <summary>
    /// How many rows a probe window must yield for its rows to be a correct answer: TOP n (or MAXREC + 1, to know the
    /// answer overflows). Queries that need every matching row (ORDER BY, grouping, DISTINCT, aggregates) are refused.
    /// </summary>
    private static long RowsNeededFromProbe(SelectStatement s, long maxRec, TapTable table, bool positional)
    {
        var needsAll = s.OrderBy.Count > 0 || s.GroupBy.Count > 0 || s.Distinct || s.Having is not null || s.Offset is not null
            || s.Items.OfType<ExpressionItem>().Any(i => ContainsAggregate(i.Expression));
        if (needsAll) throw Unbounded(table, positional);
        return s.Top is { } top && top <= maxRec ? top : maxRec + 1;
    }

    private static bool ContainsAggregate(Expr e) => e switch
    {
        CountStarExpr => true,
        FunctionCall f => f.IsAggregate || f.Arguments.Any(ContainsAggregate),
        BinaryExpr b => ContainsAggregate(b.Left) || ContainsAggregate(b.Right),
        NegateExpr n => ContainsAggregate(n.Operand),
        CastExpr c => ContainsAggregate(c.Operand),
        _ => false,
    };

    private static TapQueryException Unbounded(TapTable table, bool positional)
    {
        // Providers are searched by time: a position narrows nothing they are asked, so it cannot stand in for a time range.
        var position = positional ? " (a sky-position condition such as CONTAINS is evaluated on the merged records and does not narrow the search)" : "";
        var example = table == RecordTables.ObsCore
            ? "WHERE t_max >= 59659.0 AND t_min <= 59660.0 (MJD)"
            : "WHERE time_end >= '2022-03-21T00:00:00' AND time_start <= '2022-03-22T00:00:00'";
        return new TapQueryException(
            $"this query on {table.Name} has no bounded time range{position}, so it would need every provider's whole archive; " +
            $"add a lower and an upper time condition to every OR branch, e.g. {example}");
    }

    private static List<VoTableInfo> ProviderInfos(SearchResult search) => search.Providers
        .OrderBy(p => p.ProviderId, StringComparer.Ordinal)
        .Select(p => new VoTableInfo("provider", p.ProviderId, Outcome(p)))
        .ToList();

    private static string Outcome(ProviderOutcome p)
    {
        var text = $"{p.Status.WireName()}: {p.RecordCount.ToString(CultureInfo.InvariantCulture)} records in {p.ElapsedMs.ToString(CultureInfo.InvariantCulture)} ms";
        if (p.TotalAvailable is { } total) text += $" ({total.ToString(CultureInfo.InvariantCulture)} matched)";
        if (p.Truncated) text += ", truncated by the provider";
        if (p.FromCache) text += ", from the cache";
        return p.Message is null ? text : text + "; " + p.Message;
    }

    private static TapResult Result(AdqlResult rows, IReadOnlyList<TableUse> tables, List<VoTableInfo> infos, SearchResult? search, bool cut)
    {
        var fields = rows.Columns.Select(c => Field(c, tables)).ToList();
        return new TapResult(rows, fields, infos, search, cut);
    }

    /// <summary>The output column as a FIELD; a column taken straight from a table keeps its UCD, utype and description.</summary>
    private static TableField Field(AdqlColumn c, IReadOnlyList<TableUse> tables)
    {
        var source = tables.Select(t => t.Table.Find(c.Name)).FirstOrDefault(x => x is not null);
        var same = source is not null && source.Datatype == c.Datatype && source.Unit == c.Unit;
        return new TableField(c.Name, VoTableType(c.Datatype), c.Arraysize, c.Xtype, c.Unit,
            same ? source!.Ucd : null, same ? source!.Utype : null, c.Description ?? (same ? source!.Description : null));
    }

    private static string VoTableType(string datatype) => datatype.ToLowerInvariant() switch
    {
        "varchar" or "char varying" or "clob" or "string" or "text" => "char",
        "smallint" => "short",
        "integer" => "int",
        "bigint" => "long",
        "real" => "float",
        "double precision" or "numeric" or "decimal" => "double",
        "timestamp" => "char",
        _ => datatype,
    };

    private AdqlResult Execute(SelectStatement statement, IReadOnlyList<TableUse> tables, IReadOnlyList<DataRecord>? records, string serviceUrl, long? maxRec)
    {
        var catalog = new InMemoryCatalog();
        var linksUrl = serviceUrl.TrimEnd('/') + "/links";
        foreach (var table in tables.Select(t => t.Table).Distinct())
        {
            IEnumerable<object?[]> rows = table.Source switch
            {
                TableSource.TapSchema => Metadata.TapSchemaRows(table),
                TableSource.Providers => ProvidersTable.Rows(providers.Current),
                _ when records is null => [],
                _ when table == RecordTables.ObsCore => records.Select(r => RecordTables.ObsCoreRow(r, linksUrl)),
                _ => records.Select(r => RecordTables.RecordRow(r, linksUrl)),
            };
            catalog.Add(new InMemoryTable(table.Schema, table.BareName, table.Columns.Select(c => c.ToAdql()).ToList(), rows));
        }
        try
        {
            return new AdqlEvaluator(catalog).Execute(statement, maxRec);
        }
        catch (AdqlSemanticException ex)
        {
            throw new TapQueryException(ex.Message);
        }
    }

    /// <summary>A published table used by the query, with the names (table name, alias) its columns may be qualified by.</summary>
    private sealed record TableUse(TapTable Table, IReadOnlyList<string> Names);

    private static List<TableUse> ReferencedTables(SelectStatement statement)
    {
        var uses = new List<TableUse>();
        foreach (var item in statement.From) Collect(item, uses);
        return uses;
    }

    private static void Collect(FromItem item, List<TableUse> uses)
    {
        switch (item)
        {
            case TableRef t:
                var qualified = t.Table.Schema is null ? t.Table.Name.Name : t.Table.Schema.Name + "." + t.Table.Name.Name;
                var table = Metadata.Find(qualified)
                    ?? throw new TapQueryException($"unknown table '{qualified}'; this service has {string.Join(", ", Metadata.Tables.Select(x => x.Name))}");
                uses.Add(new TableUse(table, [t.Alias?.Name ?? t.Table.Name.Name, table.Name, table.BareName]));
                break;
            case JoinRef j:
                Collect(j.Left, uses);
                Collect(j.Right, uses);
                break;
        }
    }
}
