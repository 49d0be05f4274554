using Broker.Sessions;

namespace Broker.Server.Sessions;

/// <summary>How the session travels over HTTP, and how the rest of the server reads the current one.</summary>
public static class SessionHttp
{
    /// <summary>Request and response header carrying the session id.</summary>
    public const string HeaderName = "VSO-Session";
    /// <summary>Response header set when the session store is unavailable.</summary>
    public const string WarningHeader = "VSO-Warning";
    public const string StoreUnavailableWarning = "session store unavailable";
    /// <summary><see cref="HttpContext.Items"/> key of the current session id (string, or null when session-less).</summary>
    public const string ItemKey = "VSO-Session";

    /// <summary>
    /// The cookie astroquery's TapPlus keeps after <c>/tap/login</c> (the only name it recognizes, ESAC's servlet
    /// session); it carries the broker session id, scoped to <c>/tap</c>.
    /// </summary>
    public const string TapPlusCookieName = "JSESSIONID";

    private static readonly object StateKey = new();

    /// <summary>The session ids a caller presented, in order of preference: header, session cookie, TAP+ login cookie.</summary>
    public static IEnumerable<string?> PresentedIds(HttpRequest request, string cookieName) =>
        [request.Headers[HeaderName].FirstOrDefault(), request.Cookies[cookieName], request.Cookies[TapPlusCookieName]];

    /// <summary>The session of this request; null when the request is session-less (store down, or a probe path).</summary>
    public static string? GetSessionId(HttpContext context) => context.Items.TryGetValue(ItemKey, out var id) ? id as string : null;

    /// <summary>True when the session store could not be reached for this request (the response carries <see cref="WarningHeader"/>).</summary>
    public static bool IsStoreUnavailable(HttpContext context) => State(context)?.StoreUnavailable ?? false;

    /// <summary>
    /// Adopts a session id found late (for instance by the SOAP front door in <c>info/required</c>) when it names a live
    /// session; an unknown or expired id is ignored and the current session kept. Returns the session in effect.
    /// </summary>
    public static async Task<string?> AdoptAsync(HttpContext context, string? candidate, CancellationToken cancellationToken)
    {
        candidate = candidate?.Trim();
        if (!SessionId.IsWellFormed(candidate) || candidate == GetSessionId(context)) return GetSessionId(context);
        var store = context.RequestServices.GetRequiredService<ISessionStore>();
        try
        {
            if (await store.TouchAsync(candidate!, cancellationToken).ConfigureAwait(false) is { } session) SetCurrent(context, session.Id);
        }
        catch (SessionStoreUnavailableException)
        {
            MarkStoreUnavailable(context);
        }
        return GetSessionId(context);
    }

    internal static void SetCurrent(HttpContext context, string? sessionId)
    {
        context.Items[ItemKey] = sessionId;
        var state = State(context);
        if (state is not null) state.Ended = sessionId is null;
    }

    internal static void MarkStoreUnavailable(HttpContext context)
    {
        if (State(context) is { } state) state.StoreUnavailable = true;
        if (!context.Response.HasStarted) context.Response.Headers[WarningHeader] = StoreUnavailableWarning;
    }

    internal static SessionRequestState? State(HttpContext context) =>
        context.Items.TryGetValue(StateKey, out var s) ? s as SessionRequestState : null;

    internal static void Attach(HttpContext context, SessionRequestState state) => context.Items[StateKey] = state;
}

/// <summary>What the middleware learnt about the session of one request.</summary>
internal sealed class SessionRequestState
{
    public bool StoreUnavailable { get; set; }
    /// <summary>The session was ended by this request: the cookie is cleared.</summary>
    public bool Ended { get; set; }
}
