using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Broker.Core.Search;
using Broker.Core.Validation;
using Broker.Server.OpenApi;
using Microsoft.AspNetCore.Http.Features;

namespace Broker.Server.Rest;

/// <summary>
/// <c>GET|POST /api/v1/search/stream</c>: the search as Server-Sent Events, for a page or a script that wants the
/// first records early. Events in order: <c>plan</c> (providers asked, pending, and skipped with why), one
/// <c>provider</c> per asked provider as it finishes (its status line and its records), and <c>summary</c> (the
/// search document without records: merged totals after cross-provider de-duplication; the merged records are
/// then pageable under /api/v1/queries/{queryId}/records in the same session). Input errors are the plain
/// search's 400 problem, before any event.
/// </summary>
public static class SearchStreamApi
{
    /// <summary>Longest quiet time before a <c>: keep-alive</c> comment (proxies close idle connections).</summary>
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public const string Path = "/api/v1/search/stream";

    private static readonly byte[] KeepAliveComment = ": keep-alive\n\n"u8.ToArray();

    public static IEndpointRouteBuilder MapSearchStreamApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path).WithTags("Search");
        group.MapGet("", (HttpContext http, SearchEngine engine, QueryNormalizer normalizer, TimeProvider time) =>
                StreamAsync(http, engine, normalizer, time, () => Task.FromResult(SearchInputReader.FromQueryString(http.Request.Query))))
            .WithName("searchStreamGet")
            .WithSummary("Search with one block given as query parameters; results stream as Server-Sent Events")
            .WithSearchParameters(withFormat: false)
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream").ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapPost("", (HttpContext http, SearchEngine engine, QueryNormalizer normalizer, TimeProvider time) =>
                StreamAsync(http, engine, normalizer, time, () => SearchInputReader.FromJsonAsync(http.Request, http.RequestAborted)))
            .WithName("searchStreamPost")
            .WithSummary("Search with OR-blocks given as a JSON body; results stream as Server-Sent Events")
            .Accepts<SearchApi.SearchBody>("application/json").WithRequestExample(SearchApi.ExampleBody)
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream").ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<IResult> StreamAsync(
        HttpContext http, SearchEngine engine, QueryNormalizer normalizer, TimeProvider time, Func<Task<SearchInput>> read)
    {
        var (_, request, problem) = await SearchApi.ReadAsync(http, engine, normalizer, read);
        if (problem is not null) return problem;

        var events = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
        var planned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        request = request! with
        {
            Planned = plan =>
            {
                events.Writer.TryWrite(Event("plan", w => WritePlan(w, plan)));
                planned.TrySetResult();
            },
            ProviderFinished = outcome => events.Writer.TryWrite(Event("provider", w => WriteProvider(w, outcome))),
        };
        var search = RunAsync(engine, request, events.Writer, http.RequestAborted);

        // The plan comes before any provider is asked; a query no provider can answer fails before it: a 400, no stream.
        await Task.WhenAny(planned.Task, search);
        if (!planned.Task.IsCompleted)
        {
            try
            {
                await search;
            }
            catch (NoProviderException ex)
            {
                return Problems.NoProvider(ex);
            }
        }
        return new StreamResult("text/event-stream; charset=utf-8", (response, ct) => WriteEventsAsync(response, events.Reader, time, ct));
    }

    /// <summary>Runs the search; its summary is the last event, and the stream ends with it. Throws only a planning failure.</summary>
    private static async Task RunAsync(SearchEngine engine, SearchRequest request, ChannelWriter<byte[]> events, CancellationToken ct)
    {
        try
        {
            var result = await engine.SearchAsync(request, ct);
            events.TryWrite(Event("summary", w => SearchResultJson.WriteSummaryMembers(w, result)));
            events.TryComplete();
        }
        catch (NoProviderException)
        {
            events.TryComplete();
            throw;
        }
        catch (Exception ex)
        {
            events.TryComplete(ex); // the stream ends with an error event (or not at all when the caller left)
        }
    }

    private static async Task WriteEventsAsync(HttpResponse response, ChannelReader<byte[]> events, TimeProvider time, CancellationToken ct)
    {
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx: pass events on as they come
        response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.Body.FlushAsync(ct); // the headers go now: the caller knows the search is running
        Task<bool>? waiting = null;
        try
        {
            while (true)
            {
                waiting ??= events.WaitToReadAsync(ct).AsTask();
                try
                {
                    if (!await waiting.WaitAsync(KeepAlive, time, ct)) break;
                }
                catch (TimeoutException)
                {
                    await response.Body.WriteAsync(KeepAliveComment, ct);
                    await response.Body.FlushAsync(ct);
                    continue;
                }
                waiting = null;
                while (events.TryRead(out var e)) await response.Body.WriteAsync(e, ct);
                await response.Body.FlushAsync(ct);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The search failed after the stream began: say so as the last event, never a silently cut stream.
            var error = Event("error", w =>
            {
                w.WriteString("title", "The search failed");
                w.WriteString("detail", ex.Message);
            });
            await response.Body.WriteAsync(error, ct);
        }
    }

    private static void WritePlan(Utf8JsonWriter w, SearchStart plan)
    {
        w.WriteString("queryId", plan.QueryId);
        w.WriteStartArray("providers");
        foreach (var id in plan.Asked)
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteString("status", "pending");
            w.WriteEndObject();
        }
        foreach (var skipped in plan.Skipped)
        {
            w.WriteStartObject();
            SearchResultJson.WriteProviderMembers(w, skipped);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteProvider(Utf8JsonWriter w, ProviderOutcome outcome)
    {
        SearchResultJson.WriteProviderMembers(w, outcome, withCount: false);
        w.WriteStartArray("records");
        foreach (var json in RecordJson.RenderAnswer(outcome.Records)) w.WriteRawValue(json.Span, skipInputValidation: true);
        w.WriteEndArray();
    }

    /// <summary>One event: <c>event: NAME</c>, one <c>data:</c> line holding a JSON object (compact JSON has no line breaks), a blank line.</summary>
    private static byte[] Event(string name, Action<Utf8JsonWriter> writeMembers)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write(Encoding.UTF8.GetBytes($"event: {name}\ndata: "));
        using (var w = new Utf8JsonWriter(buffer, SearchResultJson.WriterOptions))
        {
            w.WriteStartObject();
            writeMembers(w);
            w.WriteEndObject();
        }
        buffer.Write("\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }
}
