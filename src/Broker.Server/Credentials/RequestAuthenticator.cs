using System.Net;

namespace Broker.Server.Credentials;

/// <summary>Sends a request past the credential handler (to the provider's connection pool), for logins and token requests.</summary>
internal delegate Task<HttpResponseMessage> SendRaw(HttpRequestMessage request, CancellationToken cancellationToken);

/// <summary>
/// Puts one credential on requests to one provider, and renews it when the provider refuses it (a login cookie or a
/// token that expired). Implementations are thread-safe: concurrent requests share one login or one token renewal.
/// </summary>
internal abstract class RequestAuthenticator
{
    /// <summary>Sets the credential on <paramref name="request"/>; returns what was applied, for <see cref="RenewAsync"/>.</summary>
    public abstract ValueTask<object?> ApplyAsync(HttpRequestMessage request, SendRaw send, CancellationToken cancellationToken);

    /// <summary>True when the provider refused the credential: 401 or 403 (a login page too, for TAP+).</summary>
    public virtual ValueTask<bool> IsRefusedAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        ValueTask.FromResult(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden);

    /// <summary>
    /// Drops <paramref name="applied"/> after a refusal so that the next <see cref="ApplyAsync"/> logs in or fetches a token
    /// again; false when there is nothing to renew (a static credential), so the refusal is final.
    /// </summary>
    public virtual ValueTask<bool> RenewAsync(object? applied, CancellationToken cancellationToken) => ValueTask.FromResult(false);
}
