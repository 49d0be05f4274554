using System.Globalization;
using Broker.Core.Search;
using Broker.Core.Validation;
using Broker.Server.Sessions;

namespace Broker.Server.Rest;

/// <summary>
/// <c>/api/v1/search</c>: GET (query string, one block), POST (JSON, OR-blocks) and HEAD (counts only, for a
/// portal sizing a query before fetching it).
/// </summary>
public static class SearchApi
{
    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/search").WithTags("Search");
        group.MapGet("", (HttpContext http, SearchEngine engine, QueryNormalizer normalizer) =>
                RunAsync(http, engine, normalizer, () => Task.FromResult(SearchInputReader.FromQueryString(http.Request.Query))))
            .WithSummary("Search with one block given as query parameters (start, end, instrument, wavemin ...)");
        group.MapPost("", (HttpContext http, SearchEngine engine, QueryNormalizer normalizer) =>
                RunAsync(http, engine, normalizer, () => SearchInputReader.FromJsonAsync(http.Request, http.RequestAborted)))
            .Accepts<SearchBody>("application/json")
            .WithSummary("Search with OR-blocks given as a JSON body");
        group.MapMethods("", ["HEAD"], (HttpContext http, SearchEngine engine, QueryNormalizer normalizer) =>
                RunAsync(http, engine, normalizer, () => Task.FromResult(SearchInputReader.FromQueryString(http.Request.Query)), headOnly: true))
            .WithSummary("Counts only: VSO-Count-Records, VSO-Count-Provider and VSO-Truncated headers");
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
            result = await engine.SearchAsync(request, http.RequestAborted);
        }
        catch (NoProviderException ex)
        {
            return Problems.NoProvider(ex);
        }
        WriteCountHeaders(http.Response, result);
        if (headOnly) return Results.Empty;
        return input!.Format == "csv"
            ? new StreamResult("text/csv; charset=utf-8", (r, ct) => SearchResultCsv.WriteAsync(r.Body, result.Records, ct))
            : new StreamResult("application/json; charset=utf-8", (r, ct) => SearchResultJson.WriteAsync(r.BodyWriter, result, rendered, ct));
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
            SessionId = SessionHttp.GetSessionId(http),
            BypassCache = http.Request.Headers.CacheControl.Any(v => v is not null && v.Contains("no-cache", StringComparison.OrdinalIgnoreCase)),
        }, null);
    }

    /// <summary>Counts a portal can read without the body: total, per provider (with status), truncated share.</summary>
    public static void WriteCountHeaders(HttpResponse response, SearchResult result)
    {
        var h = response.Headers;
        h["VSO-Query-Id"] = result.QueryId;
        h["VSO-Count-Records"] = result.Total.ToString(CultureInfo.InvariantCulture);
        h["VSO-Count-Returned"] = result.Records.Count.ToString(CultureInfo.InvariantCulture);
        h["VSO-Count-Provider"] = string.Join(", ", result.Providers.Where(p => p.Status != ProviderStatus.Skipped)
            .Select(p => $"{p.ProviderId}={p.RecordCount};status={SearchResultJson.StatusName(p.Status)}"));
        h["VSO-Truncated"] = result.TruncatedPercent.ToString("0.##", CultureInfo.InvariantCulture);
    }

    /// <summary>The JSON body of POST /api/v1/search (for the OpenAPI document).</summary>
    public sealed record SearchBody(IReadOnlyList<Dictionary<string, string>> Blocks, int? Limit, string? Format, IReadOnlyList<string>? Providers);
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
