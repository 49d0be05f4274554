using Broker.Core.Providers;
using Broker.Core.Services;
using Broker.Server.Credentials;
using Broker.Sessions;

namespace Broker.Server.UserCredentials;

/// <summary>
/// Ends the provider logins (ESAC TAP+) the broker made with a session's credentials when they go: the session is
/// deleted (REST, TAP+ logout) or the user removes the credential. Runs before they are removed, since afterwards
/// nothing can say which logins were theirs. A login of a session that expired unnoticed is logged out when it has been
/// idle for <see cref="ProviderCredentials.IdleLifetime"/>, on every instance that made one.
/// </summary>
public sealed partial class ProviderLogouts(
    UserCredentialVault vault, ProviderCredentials credentials, TimeProvider time, ILogger<ProviderLogouts> logger)
{
    /// <summary>Logs out the session's logins at <paramref name="onlyProvider"/> (or at every provider); never throws for a provider's failure.</summary>
    public async Task EndAsync(string sessionId, string? onlyProvider, CancellationToken cancellationToken)
    {
        Broker.Core.Credentials.CallerCredentials? stored;
        try
        {
            stored = await vault.GetAsync(sessionId, cancellationToken).ConfigureAwait(false);
        }
        catch (SessionStoreUnavailableException)
        {
            return; // the logins then lapse when idle
        }
        if (stored is null) return;
        using var bound = new CancellationTokenSource(ProviderCredentials.LogoutTimeout, time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, bound.Token);
        foreach (var provider in stored.Providers)
        {
            if (onlyProvider is not null && !string.Equals(provider, onlyProvider, StringComparison.OrdinalIgnoreCase)) continue;
            try
            {
                var ended = await credentials.LogOutCallerAsync(provider, stored.For(provider)!, timeout.Token).ConfigureAwait(false);
                if (ended > 0) LogLoggedOut(logger, provider, SessionLogHash.Of(sessionId));
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or ProviderException or ProviderBusyException)
            {
                if (cancellationToken.IsCancellationRequested) throw;
                LogLogoutFailed(logger, provider, SessionLogHash.Of(sessionId), ex.GetType().Name);
            }
        }
    }

    /// <summary>For the endpoints that end sessions (a host composed without user credentials has nothing to log out).</summary>
    public static Task EndAsync(HttpContext http, string sessionId, string? onlyProvider = null) =>
        http.RequestServices.GetService<ProviderLogouts>()?.EndAsync(sessionId, onlyProvider, http.RequestAborted) ?? Task.CompletedTask;

    [LoggerMessage(EventId = 3310, Level = LogLevel.Information, Message = "Logged out the TAP+ login at {ProviderId} of session {SessionHash}")]
    private static partial void LogLoggedOut(ILogger logger, string providerId, string? sessionHash);

    [LoggerMessage(EventId = 3311, Level = LogLevel.Warning, Message = "Logging out the TAP+ login at {ProviderId} of session {SessionHash} failed ({Problem}); it lapses at the provider")]
    private static partial void LogLogoutFailed(ILogger logger, string providerId, string? sessionHash, string problem);
}
