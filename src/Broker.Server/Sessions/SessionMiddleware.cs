using System.Globalization;
using Broker.Core.Telemetry;
using Broker.Sessions;
using Microsoft.AspNetCore.Mvc;

namespace Broker.Server.Sessions;

/// <summary>
/// Resolves the session of each request (header, cookie, or the SOAP body), issues a new one when the caller has
/// none or an unknown/expired one (never adopting a caller-chosen id), applies the per-session rate limit, and
/// returns the id as header and cookie. A session store that is down makes the request session-less, with a
/// <c>VSO-Warning</c> header, never a failure.
/// </summary>
internal sealed partial class SessionMiddleware(
    RequestDelegate next, ISessionStore store, IRateLimiter limiter, BrokerSessionOptions options, BrokerMetrics metrics,
    ILogger<SessionMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (IsSessionless(context.Request))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        var state = new SessionRequestState();
        SessionHttp.Attach(context, state);
        var aborted = context.RequestAborted;

        var session = await FindLiveSessionAsync(context, state, aborted).ConfigureAwait(false);
        if (options.RateLimitPerMinute > 0 && options.RateLimitedPaths.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
        {
            // Callers without a live session are counted by address, so dropping the cookie does not reset the limit.
            var key = session is not null ? "s:" + session.Id : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            var decision = await limiter.AcquireAsync(key, aborted).ConfigureAwait(false);
            RateLimitFields.Write(context.Response, decision, perSession: session is not null);
            if (!decision.Allowed)
            {
                LogRateLimited(logger, session is null ? null : ForLog(session.Id), session is null ? key : "session", decision.Limit);
                metrics.RateLimited(session is not null ? "session" : "address");
                await RejectAsync(context, decision).ConfigureAwait(false);
                return;
            }
        }
        if (session is null && !state.StoreUnavailable && !IsExplicitCreate(context.Request))
        {
            try
            {
                session = await store.CreateAsync(aborted).ConfigureAwait(false);
                LogIssued(logger, ForLog(session.Id));
            }
            catch (SessionStoreUnavailableException ex)
            {
                Unavailable(context, state, ex);
            }
        }
        SessionHttp.SetCurrent(context, session?.Id);
        context.Response.OnStarting(static s => WriteSession((HttpContext)s), context);
        await next(context).ConfigureAwait(false);
    }

    private async Task<SessionInfo?> FindLiveSessionAsync(HttpContext context, SessionRequestState state, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var candidates = SessionHttp.PresentedIds(request, options.CookieName).ToList();
        if (options.SoapPaths.Any(p => request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
            candidates.Add(await SoapSessionReader.ReadAsync(request, cancellationToken).ConfigureAwait(false));
        foreach (var candidate in candidates.Select(c => c?.Trim()).Distinct())
        {
            if (!SessionId.IsWellFormed(candidate)) continue;
            try
            {
                if (await store.TouchAsync(candidate!, cancellationToken).ConfigureAwait(false) is { } live) return live;
                LogNotAdopted(logger, ForLog(candidate!));
            }
            catch (SessionStoreUnavailableException ex)
            {
                Unavailable(context, state, ex);
                return null;
            }
        }
        return null;
    }

    private void Unavailable(HttpContext context, SessionRequestState state, SessionStoreUnavailableException ex)
    {
        if (!state.StoreUnavailable) LogStoreUnavailable(logger, ex.Message);
        SessionHttp.MarkStoreUnavailable(context);
    }

    /// <summary>What log lines show instead of a session id (a bearer credential): the request log's keyed short hash.</summary>
    private string ForLog(string sessionId) => SessionId.ForLog(sessionId, options.LogHashKey);

    /// <summary>
    /// Probes, metrics, and GET/HEAD on the SOAP doors (the WSDL, <c>?wsdl</c>, a client's liveness GET) neither get
    /// a session nor count against a rate limit: they search nothing, and SunPy's VSOClient sends two on creation.
    /// </summary>
    private bool IsSessionless(HttpRequest request) =>
        options.SessionlessPaths.Any(p => request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase))
        || ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            && options.SoapPaths.Any(p => request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)));

    /// <summary>POST /api/v1/sessions creates its session itself; issuing one here too would make two.</summary>
    private static bool IsExplicitCreate(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.Equals(SessionApi.SessionsPath, StringComparison.OrdinalIgnoreCase);

    private static Task WriteSession(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<BrokerSessionOptions>();
        var cookie = new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps, Path = "/", IsEssential = true,
        };
        if (SessionHttp.GetSessionId(context) is { } id)
        {
            context.Response.Headers[SessionHttp.HeaderName] = id;
            cookie.MaxAge = options.Expiry;
            context.Response.Cookies.Append(options.CookieName, id, cookie);
        }
        else if (SessionHttp.State(context) is { Ended: true })
        {
            context.Response.Cookies.Delete(options.CookieName, cookie);
        }
        return Task.CompletedTask;
    }

    private static Task RejectAsync(HttpContext context, RateLimitDecision decision)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Results.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests",
            Detail = $"This session may make {decision.Limit} requests per minute; try again in {seconds} s.",
            Type = "https://virtualsolar.org/broker/problems/rate-limited",
            Extensions = { ["limit"] = decision.Limit, ["retryAfterSeconds"] = seconds },
        }).ExecuteAsync(context);
    }

    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Session {SessionHash} issued")]
    private static partial void LogIssued(ILogger logger, string sessionHash);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Session {SessionHash} is unknown or expired; not adopted")]
    private static partial void LogNotAdopted(ILogger logger, string sessionHash);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Session {SessionHash} ({RateKey}) rate limited at {Limit} requests per minute")]
    private static partial void LogRateLimited(ILogger logger, string? sessionHash, string rateKey, int limit);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Session store unavailable, request runs session-less: {Problem}")]
    private static partial void LogStoreUnavailable(ILogger logger, string problem);
}
