using System.Globalization;
using Broker.Core.Search;
using Broker.Core.Validation;
using Broker.Server.OpenApi;
using Broker.Server.Sessions;

namespace Broker.Server.Rest;

/// <summary>
/// <c>/api/v1/search</c>: GET (query string, one block), POST (JSON, OR-blocks) and HEAD (counts only, for a
/// portal sizing a query before fetching it).
/// </summary>
public static class SearchApi
{
    /// <summary>The count headers of every search answer (<see cref="WriteCountHeaders"/>).</summary>
    private static readonly (string Name, string Description)[] CountHeaders =
    [
        ("VSO-Query-Id", "Id of the search in the session's history"),
        ("VSO-Count-Records", "Records found after de-duplication (exact or a lower bound, see VSO-Count-Exact)"),
        ("VSO-Count-Exact", "true when VSO-Count-Records is exact"),
        ("VSO-Count-Returned", "Records in the answer"),
        ("VSO-Count-Provider", "Per provider: id=n;exact=true|false;status=s, comma-separated"),
        ("VSO-Truncated", "Only for a cut answer with an exact total (VAMDC): the percentage of all found records that the answer returns"),
        ("Server-Timing", "W3C Server Timing: search;dur=milliseconds the federated search (or count) took in the broker, before rendering"),
    ];

    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/search").WithTags("Search");
        group.MapGet("", (HttpContext http, SearchEngine engine, QueryNormalizer normalizer) =>
                RunAsync(http, engine, normalizer, () => Task.FromResult(SearchInputReader.FromQueryString(http.Request.Query))))
            .WithSummary("Search with one block given as query parameters (start, end, instrument, wavemin ...)")
            .WithName("searchGet").WithSearchParameters()
            .Produces<SearchDocument>(StatusCodes.Status200OK, "application/json")
            .WithTextResponse(StatusCodes.Status200OK, "text/csv", "format=csv: one header line, one line per record (RFC 4180)")
            .WithResponseHeaders(StatusCodes.Status200OK, CountHeaders)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapPost("", (HttpContext http, SearchEngine engine, QueryNormalizer normalizer) =>
                RunAsync(http, engine, normalizer, () => SearchInputReader.FromJsonAsync(http.Request, http.RequestAborted)))
            .Accepts<SearchBody>("application/json")
            .WithSummary("Search with OR-blocks given as a JSON body")
            .WithName("searchPost").WithRequestExample(ExampleBody)
            .Produces<SearchDocument>(StatusCodes.Status200OK, "application/json")
            .WithTextResponse(StatusCodes.Status200OK, "text/csv", "format=csv: one header line, one line per record (RFC 4180)")
            .WithResponseHeaders(StatusCodes.Status200OK, CountHeaders)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapMethods("", ["HEAD"], (HttpContext http, SearchEngine engine, QueryNormalizer normalizer) =>
                RunAsync(http, engine, normalizer, () => Task.FromResult(SearchInputReader.FromQueryString(http.Request.Query)), headOnly: true))
            .WithSummary("Counts only: VSO-Count-Records, VSO-Count-Provider and VSO-Truncated headers")
            .WithName("searchHead").WithSearchParameters(withFormat: false)
            .Produces(StatusCodes.Status200OK)
            .WithResponseHeaders(StatusCodes.Status200OK, CountHeaders)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<IResult> RunAsync(
        HttpContext http, SearchEngine engine, QueryNormalizer normalizer, Func<Task<SearchInput>> read, bool headOnly = false)
    {
        var (input, request, problem) = await ReadAsync(http, engine, normalizer, read);
        if (problem is not null) return problem;

        // JSON answers: each provider's records are rendered as its answer arrives (see RecordJson).
        var rendered = !headOnly && input!.Format == "json" ? new RecordJson() : null;
        request = request! with { ProviderCompleted = rendered is null ? null : rendered.Add };
        SearchResult result;
        try
        {
            // HEAD sizes a query cheaply: COUNT(*) on the providers that can count, no records fetched there.
            result = headOnly ? await engine.CountAsync(request, http.RequestAborted) : await engine.SearchAsync(request, http.RequestAborted);
        }
        catch (NoProviderException ex)
        {
            return Problems.NoProvider(ex);
        }
        // HEAD fetched no records at counting providers: its VSO-Truncated is what a GET with this limit would return.
        var limit = Math.Clamp(input!.Limit ?? engine.Options.DefaultLimit, 1, engine.Options.MaxLimit);
        WriteCountHeaders(http.Response, result, headOnly ? Math.Min(limit, result.Providers.Sum(p => p.WouldReturn ?? p.RecordCount)) : null);
        if (headOnly) return Results.Empty;
        return input!.Format == "csv"
            ? new StreamResult("text/csv; charset=utf-8", (r, ct) => SearchResultCsv.WriteAsync(r.Body, result.Records, ct))
            : new StreamResult("application/json; charset=utf-8", (r, ct) => SearchResultJson.WriteAsync(r.BodyWriter, result, rendered, ct,
                compressed: r.Headers.ContentEncoding.Count > 0 || r.HttpContext.Request.Headers.AcceptEncoding.Count > 0));
    }

    /// <summary>
    /// Reads and validates a search (query string or JSON body): the request to run, or the problem answer for the
    /// caller's mistake (400, or 413 for an oversize body). Shared by the plain and the streamed search.
    /// </summary>
    internal static async Task<(SearchInput? Input, SearchRequest? Request, IResult? Problem)> ReadAsync(
        HttpContext http, SearchEngine engine, QueryNormalizer normalizer, Func<Task<SearchInput>> read)
    {
        SearchInput input;
        Broker.Core.Model.NormalizedQuery query;
        try
        {
            input = await read();
            query = normalizer.Normalize(input.Blocks);
        }
        catch (SearchInputException ex)
        {
            return (null, null, Problems.BadRequest("The request is malformed", ex.Message));
        }
        catch (BadHttpRequestException ex)
        {
            // e.g. a body over Broker:MaxRequestBytes (413)
            return (null, null, Results.Problem(statusCode: ex.StatusCode, title: "The request cannot be read", detail: ex.Message));
        }
        catch (QueryValidationException ex)
        {
            return (null, null, Problems.Invalid(ex));
        }
        if (input.Limit > engine.Options.MaxLimit)
            return (null, null, Problems.BadRequest("The request is malformed", $"limit {input.Limit} is above the maximum of {engine.Options.MaxLimit}"));
        return (input, new SearchRequest
        {
            Query = query, Limit = input.Limit, OnlyProviders = input.Providers,
            SessionId = SessionHttp.GetSessionId(http), SessionStoreUnavailable = () => SessionHttp.MarkStoreUnavailable(http), Credentials = await UserCredentials.SessionCredentials.ForRequestAsync(http),
            BypassCache = http.Request.Headers.CacheControl.Any(v => v is not null && v.Contains("no-cache", StringComparison.OrdinalIgnoreCase)),
            Delivered = Delivered(http),
        }, null);
    }

    /// <summary>Completes when the response is done (sent, or the caller went away).</summary>
    private static Task Delivered(HttpContext http)
    {
        var delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        http.Response.OnCompleted(() =>
        {
            delivered.TrySetResult();
            return Task.CompletedTask;
        });
        return delivered.Task;
    }

    /// <summary>Counts a portal can read without the body: total, per provider (with status), truncated share.</summary>
    public static void WriteCountHeaders(HttpResponse response, SearchResult result, int? returned = null)
    {
        var h = response.Headers;
        h["VSO-Query-Id"] = result.QueryId;
        h["VSO-Count-Records"] = result.Total.ToString(CultureInfo.InvariantCulture);
        h["VSO-Count-Exact"] = result.TotalExact ? "true" : "false";
        h["VSO-Count-Returned"] = (returned ?? result.Records.Count).ToString(CultureInfo.InvariantCulture);
        h["VSO-Count-Provider"] = string.Join(", ", result.Providers.Where(p => p.Status != ProviderStatus.Skipped)
            .Select(p => $"{p.ProviderId}={p.Found ?? p.RecordCount};exact={(p.FoundExact ? "true" : "false")};status={SearchResultJson.StatusName(p.Status)}"));
        // VAMDC: the percentage of all available records that were returned; only for a cut answer with an exact total.
        var truncated = returned is { } r ? Counts.TruncatedPercent(r, result.Total, result.TotalExact) : result.TruncatedPercent;
        if (truncated is { } percent) h["VSO-Truncated"] = percent.ToString("0.##", CultureInfo.InvariantCulture);
        // Browsers' developer tools and benchmarks read the broker's own time here (HEAD vs GET, scripts/bench-head-vs-get.sh).
        h["Server-Timing"] = string.Create(CultureInfo.InvariantCulture, $"search;dur={result.ElapsedMs}");
    }

    /// <summary>The JSON body of POST /api/v1/search (for the OpenAPI document): OR-blocks of the GET parameters.</summary>
    public sealed record SearchBody(IReadOnlyList<Dictionary<string, string>> Blocks, int? Limit, string? Format, IReadOnlyList<string>? Providers);

    /// <summary>The request example of the document: two blocks (EUI or AIA) of one day.</summary>
    internal static readonly SearchBody ExampleBody = new(
        [
            new() { ["start"] = "2022-03-21T00:00:00Z", ["end"] = "2022-03-22T00:00:00Z", ["instrument"] = "EUI" },
            new() { ["start"] = "2022-03-21T00:00:00Z", ["end"] = "2022-03-22T00:00:00Z", ["instrument"] = "AIA", ["wavemin"] = "17.1", ["waveunit"] = "nm" },
        ], 100, "json", null);
}

/// <summary>Streams a body written by a delegate (JSON or CSV writers that write straight to the response).</summary>
internal sealed class StreamResult(string contentType, Func<HttpResponse, CancellationToken, Task> write) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.ContentType = contentType;
        await write(httpContext.Response, httpContext.RequestAborted);
    }
}
