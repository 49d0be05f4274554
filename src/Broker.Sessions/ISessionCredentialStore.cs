namespace Broker.Sessions;

/// <summary>
/// A user's own provider credentials, kept beside their session: already encrypted by the caller (the store never
/// sees a secret in clear), sliding and expiring with the session, and deleted with it. Redis when configured,
/// memory otherwise; the same backend as <see cref="ISessionStore"/>.
/// </summary>
public interface ISessionCredentialStore
{
    /// <summary>Stores (or replaces) the protected credential of one provider; false when the session is gone.</summary>
    Task<bool> SetCredentialAsync(string sessionId, string providerId, string protectedValue, CancellationToken cancellationToken);

    /// <summary>Removes the credential of one provider; false when the session had none for it (or is gone).</summary>
    Task<bool> RemoveCredentialAsync(string sessionId, string providerId, CancellationToken cancellationToken);

    /// <summary>The session's protected credentials by provider id; empty when it has none or is gone.</summary>
    Task<IReadOnlyDictionary<string, string>> GetCredentialsAsync(string sessionId, CancellationToken cancellationToken);
}
