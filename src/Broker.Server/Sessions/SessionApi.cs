using System.Globalization;
using System.Text.Json;
using Broker.Server.OpenApi;
using Broker.Server.Rest;
using Broker.Sessions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;

namespace Broker.Server.Sessions;

/// <summary>
/// <c>/api/v1/sessions</c> (create, show, end) and <c>/api/v1/queries</c> (the session's history and paging through
/// stored results without asking providers again). A session sees only its own queries: anything else is 404.
/// </summary>
public static class SessionApi
{
    public const string SessionsPath = "/api/v1/sessions";
    public const string QueriesPath = "/api/v1/queries";
    /// <summary>Records per page when the caller gives no limit, and the most it may ask for.</summary>
    public const int DefaultPageSize = 100, MaxPageSize = 1000;

    /// <summary>Maps the session and query-history endpoints.</summary>
    public static IEndpointRouteBuilder MapSessionApi(this IEndpointRouteBuilder endpoints)
    {
        var sessions = endpoints.MapGroup(SessionsPath).WithTags("Sessions");
        sessions.MapPost("", CreateAsync).WithSummary("Start a session (its id comes back in the VSO-Session header and cookie too)")
            .Produces<SessionView>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        sessions.MapGet("/current", CurrentAsync).WithSummary("The caller's session (sliding expiry renewed)")
            .Produces<SessionView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        sessions.MapDelete("", (HttpContext c, ISessionStore s) => EndAsync(c, s, "current")).WithSummary("End the caller's session")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        sessions.MapDelete("/{id}", EndAsync).WithSummary("End a session: only the session itself ('current' or its own id)")
            .WithParameter("id", "'current' or the caller's own session id", "current")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        var queries = endpoints.MapGroup(QueriesPath).WithTags("Sessions");
        queries.MapGet("", HistoryAsync).WithSummary("The session's stored searches, newest first")
            .Produces<QueryHistoryDocument>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        queries.MapGet("/{id}", QueryAsync).WithSummary("One stored search of the session")
            .WithParameter("id", "A queryId of this session's search", "q-2022032108-7f3a")
            .Produces<QuerySummaryDocument>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        queries.MapGet("/{id}/records", RecordsAsync).WithSummary("Page through a stored search's records without asking the providers again")
            .WithParameter("id", "A queryId of this session's search", "q-2022032108-7f3a")
            .WithParameter("offset", "First record of the page (0-based)", 0, JsonSchemaType.Integer, "int32")
            .WithParameter("limit", $"Records per page, 1 to {MaxPageSize} (default {DefaultPageSize})", DefaultPageSize, JsonSchemaType.Integer, "int32")
            .Produces<RecordPageDocument>().ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return endpoints;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, ISessionStore store)
    {
        try
        {
            var session = await store.CreateAsync(context.RequestAborted).ConfigureAwait(false);
            SessionHttp.SetCurrent(context, session.Id);
            return Results.Json(SessionBody(session), statusCode: StatusCodes.Status201Created);
        }
        catch (SessionStoreUnavailableException ex)
        {
            return Unavailable(context, ex);
        }
    }

    private static async Task<IResult> CurrentAsync(HttpContext context, ISessionStore store)
    {
        if (SessionHttp.GetSessionId(context) is not { } id) return NoSession(context);
        try
        {
            return await store.TouchAsync(id, context.RequestAborted).ConfigureAwait(false) is { } session
                ? Results.Ok(SessionBody(session))
                : NotFound("The session has ended.");
        }
        catch (SessionStoreUnavailableException ex)
        {
            return Unavailable(context, ex);
        }
    }

    private static async Task<IResult> EndAsync(HttpContext context, ISessionStore store, string id)
    {
        var current = SessionHttp.GetSessionId(context);
        if (id.Equals("current", StringComparison.OrdinalIgnoreCase))
        {
            if (current is null) return NoSession(context);
            id = current;
        }
        // Only the session itself may end it: the caller must present it (header or cookie), not merely name it.
        if (!string.Equals(id, current, StringComparison.Ordinal))
            return Results.Problem(new ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden, Title = "Not your session",
                Detail = $"A session can only be ended by presenting it: send it in the {SessionHttp.HeaderName} header or the session cookie " +
                         $"and DELETE {SessionsPath}/current.",
                Type = "https://virtualsolar.org/broker/problems/not-your-session",
            });
        try
        {
            await UserCredentials.ProviderLogouts.EndAsync(context, id).ConfigureAwait(false);
            if (!await store.DeleteAsync(id, context.RequestAborted).ConfigureAwait(false)) return NotFound("The session has ended.");
            if (id == current) SessionHttp.SetCurrent(context, null);
            return Results.NoContent();
        }
        catch (SessionStoreUnavailableException ex)
        {
            return Unavailable(context, ex);
        }
    }

    private static async Task<IResult> HistoryAsync(HttpContext context, ISessionStore store)
    {
        if (SessionHttp.GetSessionId(context) is not { } id) return NoSession(context);
        try
        {
            var history = await store.GetHistoryAsync(id, context.RequestAborted).ConfigureAwait(false);
            return JsonBody(w =>
            {
                w.WriteStartObject();
                w.WriteString("sessionId", id);
                w.WriteStartArray("queries");
                foreach (var q in history) QueryJson.WriteSummary(w, q);
                w.WriteEndArray();
                w.WriteEndObject();
            });
        }
        catch (SessionStoreUnavailableException ex)
        {
            return Unavailable(context, ex);
        }
    }

    private static async Task<IResult> QueryAsync(HttpContext context, ISessionStore store, string id)
    {
        if (SessionHttp.GetSessionId(context) is not { } sessionId) return NoSession(context);
        try
        {
            return await store.GetQueryAsync(sessionId, id, context.RequestAborted).ConfigureAwait(false) is { } query
                ? JsonBody(w => QueryJson.WriteSummary(w, query))
                : NotFound($"This session has no query '{id}' (queries belong to the session that ran them and only the last ones are kept).");
        }
        catch (SessionStoreUnavailableException ex)
        {
            return Unavailable(context, ex);
        }
    }

    private static async Task<IResult> RecordsAsync(HttpContext context, ISessionStore store, string id, string? offset, string? limit)
    {
        if (SessionHttp.GetSessionId(context) is not { } sessionId) return NoSession(context);
        if (!TryParse(offset, 0, 0, int.MaxValue, out var start))
            return BadRequest("offset", $"offset must be a whole number ≥ 0, not '{offset}'.");
        if (!TryParse(limit, DefaultPageSize, 1, MaxPageSize, out var count))
            return BadRequest("limit", $"limit must be a whole number from 1 to {MaxPageSize}, not '{limit}'.");
        try
        {
            var page = await store.GetRecordsAsync(sessionId, id, start, count, context.RequestAborted).ConfigureAwait(false);
            if (page is null) return NotFound($"This session has no query '{id}'.");
            context.Response.Headers["VSO-Count-Records"] = page.Total.ToString(CultureInfo.InvariantCulture);
            var next = page.Offset + page.Records.Count < page.Total
                ? $"{QueriesPath}/{Uri.EscapeDataString(id)}/records?offset={page.Offset + page.Records.Count}&limit={page.Limit}"
                : null;
            return JsonBody(w => QueryJson.WritePage(w, page, next));
        }
        catch (SessionStoreUnavailableException ex)
        {
            return Unavailable(context, ex);
        }
    }

    private static SessionView SessionBody(SessionInfo session) => new(session.Id, session.CreatedAt, session.ExpiresAt);

    /// <summary>A session as the API shows it.</summary>
    public sealed record SessionView(string SessionId, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

    private static IResult JsonBody(Action<Utf8JsonWriter> write) => new StreamResult("application/json; charset=utf-8", async (response, ct) =>
    {
        await using (var w = new Utf8JsonWriter(response.BodyWriter, SearchResultJson.WriterOptions)) write(w);
        await response.BodyWriter.FlushAsync(ct);
    });

    private static bool TryParse(string? text, int fallback, int min, int max, out int value)
    {
        value = fallback;
        if (string.IsNullOrEmpty(text)) return true;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }

    private static IResult BadRequest(string parameter, string detail) => Results.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status400BadRequest, Title = $"Invalid parameter '{parameter}'", Detail = detail,
        Type = "https://virtualsolar.org/broker/problems/bad-request",
    });

    private static IResult NotFound(string detail) =>
        Results.Problem(new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = "Not found", Detail = detail });

    internal static IResult NoSession(HttpContext context) => SessionHttp.IsStoreUnavailable(context)
        ? Unavailable(context, null)
        : NotFound("This request has no session.");

    internal static IResult Unavailable(HttpContext context, Exception? ex)
    {
        SessionHttp.MarkStoreUnavailable(context);
        context.Response.Headers.RetryAfter = "5";
        return Results.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable, Title = "Session store unavailable",
            Detail = "Sessions and stored results are unavailable for now; searches still work, uncached and without history." +
                     (ex is null ? "" : $" ({ex.Message})"),
            Type = "https://virtualsolar.org/broker/problems/session-store-unavailable",
        });
    }
}
