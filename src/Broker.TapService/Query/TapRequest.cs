namespace Broker.TapService.Query;

/// <summary>A TAP query as the service runs it (sync or as an async job).</summary>
/// <param name="Parameters">The request's parameters (names case-insensitive).</param>
/// <param name="ServiceUrl">The absolute URL of the TAP service (…/tap), for the DataLink URLs in the rows.</param>
/// <param name="SessionId">The caller's session, or null.</param>
/// <param name="BypassCache">Skip the answer cache on read.</param>
/// <param name="Credentials">The caller's own provider credentials (from the session), or null.</param>
/// <param name="SessionStoreUnavailable">
/// Called when the session store cannot keep the search (it had failed before the query or refuses the write); the
/// answer then also says so in an INFO. Null when nothing is kept (async jobs run session-less).
/// </param>
/// <param name="SessionStoreDown">The session store had already failed for this request (the search is kept nowhere).</param>
public sealed record TapRequest(TapParameters Parameters, string ServiceUrl, string? SessionId, bool BypassCache = false,
    Broker.Core.Credentials.CallerCredentials? Credentials = null, Action? SessionStoreUnavailable = null, bool SessionStoreDown = false);
