namespace Broker.Server.Sessions;

/// <summary>Adds the session middleware to the pipeline.</summary>
public static class SessionApplicationBuilderExtensions
{
    /// <summary>
    /// Resolves or issues the session of every request (except probe paths), puts its id in
    /// <c>HttpContext.Items["VSO-Session"]</c> (read it with <see cref="SessionHttp.GetSessionId"/>), applies the
    /// rate limit, and adds <c>VSO-Warning</c> when the store is down. Place it before the endpoints that search.
    /// </summary>
    public static IApplicationBuilder UseBrokerSessions(this IApplicationBuilder app) => app.UseMiddleware<SessionMiddleware>();
}
