using Broker.Core.Credentials;
using Broker.Server.Sessions;
using Broker.Sessions;

namespace Broker.Server.UserCredentials;

/// <summary>How a front door finds the credentials of the request's session for a search or GetData.</summary>
public static class SessionCredentials
{
    /// <summary>
    /// The decrypted credentials of the request's session; null when it has none, is session-less, or the store cannot
    /// be read now (the request then runs with the broker's service credentials or anonymously, and says so in
    /// <c>VSO-Warning</c> like every session-less request).
    /// </summary>
    public static async Task<CallerCredentials?> ForRequestAsync(HttpContext http)
    {
        if (SessionHttp.GetSessionId(http) is not { } sessionId) return null;
        try
        {
            return await http.RequestServices.GetRequiredService<UserCredentialVault>().GetAsync(sessionId, http.RequestAborted).ConfigureAwait(false);
        }
        catch (SessionStoreUnavailableException)
        {
            SessionHttp.MarkStoreUnavailable(http);
            return null;
        }
    }
}
