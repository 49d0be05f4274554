namespace Broker.TapService.Query;

/// <summary>A TAP query as the service runs it (sync or as an async job).</summary>
/// <param name="Parameters">The request's parameters (names case-insensitive).</param>
/// <param name="ServiceUrl">The absolute URL of the TAP service (…/tap), for the DataLink URLs in the rows.</param>
/// <param name="SessionId">The caller's session, or null.</param>
/// <param name="BypassCache">Skip the answer cache on read.</param>
/// <param name="Credentials">The caller's own provider credentials (from the session), or null.</param>
public sealed record TapRequest(TapParameters Parameters, string ServiceUrl, string? SessionId, bool BypassCache = false,
    Broker.Core.Credentials.CallerCredentials? Credentials = null);
