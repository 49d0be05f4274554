using System.Security.Cryptography;
using Broker.Core.Credentials;
using Broker.Server.Sessions;
using Broker.Server.Tap;
using Broker.Sessions;
using Broker.TapService.Query;
using Broker.TapService.Uws;
using Microsoft.AspNetCore.DataProtection;

namespace Broker.Server.UserCredentials;

/// <summary>
/// TAP async jobs of a session with its own credentials. At creation the job keeps which providers it had credentials
/// for and its session id encrypted (Data Protection, the key ring every instance shares) — never a secret. When the job
/// runs, on any instance, the credentials are read from the session again: a job whose session ended, or whose
/// credentials were removed, ends in ERROR saying so instead of running anonymously. Only jobs owned by the session
/// (<see cref="TapHttp.Owner"/>) get them, so their restricted results are that session's only; the search engine keeps
/// answers obtained with credentials out of the shared cache.
/// </summary>
public sealed class SessionJobCredentials(UserCredentialVault vault, IDataProtectionProvider protection) : ITapJobCredentials
{
    public const string ProvidersKey = TapJobs.InternalPrefix + "credential-providers";
    public const string SessionKey = TapJobs.InternalPrefix + "credential-session";
    private const string Purpose = "Broker.TapJobSession.v1";

    /// <summary>The bookkeeping a new job of this request keeps, or null when it runs without user credentials.</summary>
    public async Task<IReadOnlyDictionary<string, string>?> BookkeepingAsync(HttpContext http)
    {
        if (TapHttp.Owner(http) is null || SessionHttp.GetSessionId(http) is not { } sessionId) return null;
        if (await SessionCredentials.ForRequestAsync(http).ConfigureAwait(false) is not { IsEmpty: false } credentials) return null;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ProvidersKey] = string.Join(',', credentials.Providers.Select(p => p.ToLowerInvariant()).Order(StringComparer.Ordinal)),
            [SessionKey] = Protector.Protect(sessionId),
        };
    }

    public async Task<CallerCredentials?> ForRunAsync(IReadOnlyDictionary<string, string> jobParameters, CancellationToken cancellationToken)
    {
        if (!jobParameters.TryGetValue(ProvidersKey, out var list) || list.Length == 0) return null;
        var needed = list.Split(',');
        CallerCredentials? current = null;
        if (jobParameters.TryGetValue(SessionKey, out var sealedSession) && Open(sealedSession) is { } sessionId)
        {
            try
            {
                current = await vault.GetAsync(sessionId, cancellationToken).ConfigureAwait(false);
            }
            catch (SessionStoreUnavailableException)
            {
                throw new TapQueryException("the session store cannot be read now, so the credentials of this job's session cannot be looked up; " +
                    "the broker does not run it without them: submit the job again later");
            }
        }
        var gone = needed.Where(p => current?.Has(p) != true).ToList();
        if (gone.Count > 0)
            throw new TapQueryException($"this job was created with your session's own credentials for {string.Join(", ", gone)}, and they are gone " +
                "(the session ended or they were removed); the broker does not run it without them: add them to a session " +
                "(PUT /api/v1/sessions/current/credentials/{provider}) and submit the job again from it");
        return new CallerCredentials(needed.Select(p => KeyValuePair.Create(p, current!.For(p)!)));
    }

    private IDataProtector Protector => protection.CreateProtector(Purpose);

    private string? Open(string sealedSession)
    {
        try
        {
            return Protector.Unprotect(sealedSession);
        }
        catch (CryptographicException)
        {
            return null; // a key ring that lost its keys: the credentials are as gone as the session
        }
    }
}
