using Broker.Core.Credentials;

namespace Broker.TapService.Uws;

/// <summary>
/// The user's own provider credentials for an async job. A job created by a session with credentials keeps only
/// references to them with its bookkeeping parameters (never a secret); when it runs, on whichever instance, they are
/// looked up again, so credentials removed or expired with their session are gone for the job too.
/// </summary>
public interface ITapJobCredentials
{
    /// <summary>
    /// The credentials to run the job with (null: none were used at creation). Throws <see cref="Query.TapQueryException"/>
    /// when the job was created with credentials that are gone: it is never run anonymously in their place.
    /// </summary>
    Task<CallerCredentials?> ForRunAsync(IReadOnlyDictionary<string, string> jobParameters, CancellationToken cancellationToken);
}
