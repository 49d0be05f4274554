using Broker.Server.Sessions;
using Broker.Sessions;

namespace Broker.Server.Tap;

/// <summary>
/// ESAC TAP+ <c>/tap/login</c> and <c>/tap/logout</c> for astroquery's <c>TapPlus</c>. The broker has no accounts:
/// logging in binds the client to a broker session — a new one, or, when the password is a live broker session id
/// (the <c>VSO-Session</c> of the web page or REST API), that session — through the <c>JSESSIONID</c> cookie TapPlus
/// keeps. Jobs are owned by the session, so a logged-in TapPlus lists and controls its own jobs, and whatever the
/// session holds (history, the user's provider credentials) applies to its queries. Logout ends the session.
/// </summary>
internal static class TapLoginEndpoints
{
    public static void Map(RouteGroupBuilder tap)
    {
        tap.MapPost("/login", LoginAsync)
            .WithSummary("TAP+ login: binds the caller to a broker session (password empty: a new session; password = a live session id: that session)");
        tap.MapPost("/logout", LogoutAsync).WithSummary("TAP+ logout: ends the session the caller presented");
    }

    private static async Task LoginAsync(HttpContext http, BrokerSessionOptions options)
    {
        if (await TapHttp.ReadParametersAsync(http) is not { } p) return;
        var password = p["password"]?.Trim();
        if (!string.IsNullOrEmpty(password)
            && await SessionHttp.AdoptAsync(http, password, http.RequestAborted).ConfigureAwait(false) != password)
        {
            if (SessionHttp.IsStoreUnavailable(http))
            {
                await StoreUnavailableAsync(http);
                return;
            }
            await TapHttp.TextAsync(http, StatusCodes.Status401Unauthorized,
                "Login failed: this broker has no accounts, and the password is not a live broker session id. Log in with an empty " +
                "password to start a new session, or with the VSO-Session id of your web or REST session to join it.\n");
            return;
        }
        if (SessionHttp.GetSessionId(http) is not { } session)
        {
            await StoreUnavailableAsync(http);
            return;
        }
        http.Response.Cookies.Append(SessionHttp.TapPlusCookieName, session, Cookie(http, options.Expiry));
        await TapHttp.TextAsync(http, StatusCodes.Status200OK,
            "OK: bound to a broker session (user names are not checked: the broker has no accounts). Your async jobs are listed at " +
            TapHttp.ServiceUrl(http) + "/async; logout ends the session.\n");
    }

    private static async Task LogoutAsync(HttpContext http, ISessionStore store)
    {
        // Only a session the caller presented is ended; a caller without one is simply told it is logged out.
        if (TapHttp.Owner(http) is not null && SessionHttp.GetSessionId(http) is { } session)
        {
            try
            {
                await UserCredentials.ProviderLogouts.EndAsync(http, session).ConfigureAwait(false);
                await store.DeleteAsync(session, http.RequestAborted).ConfigureAwait(false);
            }
            catch (SessionStoreUnavailableException)
            {
                await StoreUnavailableAsync(http);
                return;
            }
            SessionHttp.SetCurrent(http, null);
        }
        http.Response.Cookies.Delete(SessionHttp.TapPlusCookieName, Cookie(http, maxAge: null));
        await TapHttp.TextAsync(http, StatusCodes.Status200OK, "OK: logged out; the session has ended.\n");
    }

    private static CookieOptions Cookie(HttpContext http, TimeSpan? maxAge) => new()
    {
        HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = http.Request.IsHttps, Path = "/tap", IsEssential = true, MaxAge = maxAge,
    };

    private static Task StoreUnavailableAsync(HttpContext http) =>
        TapHttp.TextAsync(http, StatusCodes.Status503ServiceUnavailable, "The session store is unavailable, so no session can be bound; try again shortly.\n");
}
