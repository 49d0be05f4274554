using System.Security.Cryptography;
using Broker.Core.Credentials;
using Broker.Core.Providers;
using Broker.Core.Search;
using Broker.Server.Sessions;
using Broker.Server.Soap;
using Broker.TapService.DataLink;
using Broker.TapService.Schema;

namespace Broker.Server.UserCredentials;

/// <summary>
/// What GetData and DataLink hand out for files that need credentials: a link to the broker's download endpoint
/// (<see cref="DownloadApi"/>), bound to the session, provider and file, instead of the provider's URL that would not
/// work for the user without the credentials. Applies to providers the session has its own credentials for, and to
/// providers the broker itself logs in to (providers.yaml <c>auth</c> with a service credential).
/// </summary>
public sealed partial class RestrictedDownloads(DownloadLinks links, IProviderCatalog catalog, ILogger<RestrictedDownloads> logger)
{
    internal const string NoLinkDetail =
        "the download link cannot be issued now: the broker cannot store the key that protects it (its session store refuses writes); try again later";

    /// <summary>The results with broker links in place of the URLs that need credentials; unchanged without a session.</summary>
    public IReadOnlyList<FileGroupResult> HandOut(
        HttpContext http, string? sessionId, CallerCredentials? credentials, IReadOnlyList<FileGroupResult> results)
    {
        if (sessionId is null) return results;
        return results.Select(group => Issuer(http, sessionId, credentials, group.ProviderId) is not { } issue ? group : group with
        {
            Files = group.Files.Select(f => f is { Status: FileStatus.Ok, Url: { } url }
                ? Link(http, group.ProviderId, () => f with { Url = issue(f.FileId, url) }, () => f with { Status = FileStatus.Error, Url = null, Detail = NoLinkDetail })
                : f).ToList(),
        }).ToList();
    }

    /// <summary>
    /// DataLink rows with broker links in the <c>#this</c> rows of files that need credentials (the row's ID names the
    /// provider and file); unchanged without a session.
    /// </summary>
    public IReadOnlyList<LinkRow> HandOut(HttpContext http, string? sessionId, CallerCredentials? credentials, IReadOnlyList<LinkRow> rows)
    {
        if (sessionId is null) return rows;
        return rows.Select(row => row is { Semantics: "#this", AccessUrl: { } url } && RecordId.TryParse(row.Id, out var provider, out var fileId)
            && Issuer(http, sessionId, credentials, provider) is { } issue
                ? Link(http, provider, () => row with { AccessUrl = issue(fileId, url) }, () => LinkRow.Error(row.Id, "TransientFault", NoLinkDetail))
                : row).ToList();
    }

    /// <summary>Issues download links for one provider's files, or null when its URLs need no credentials.</summary>
    private Func<string, string, string>? Issuer(HttpContext http, string sessionId, CallerCredentials? credentials, string providerId)
    {
        var provider = catalog.Current.Find(providerId);
        var needsCredentials = credentials?.Has(providerId) == true || provider?.Config.Auth is { HasServiceCredential: true };
        if (provider is null || !needsCredentials) return null;
        var baseUrl = VsoSoapEndpoints.PublicBaseUrl(http) + DownloadApi.Path + "/";
        return (fileId, url) => baseUrl + links.Issue(sessionId, provider.Id, fileId, url) + "/" + Uri.EscapeDataString(DownloadApi.FileName(fileId));
    }

    /// <summary>The item with its link, or <paramref name="noLink"/> when no link can be issued.</summary>
    private T Link<T>(HttpContext http, string providerId, Func<T> linked, Func<T> noLink)
    {
        try
        {
            return linked();
        }
        catch (CryptographicException ex)
        {
            // Data Protection found no key and could not keep a new one: the key ring lives in Redis, which refuses
            // writes (out of memory, read-only). The provider's URL would not work without the credentials: no URL.
            LogNoLink(logger, providerId, ex.InnerException?.Message ?? ex.Message);
            SessionHttp.MarkStoreUnavailable(http);
            return noLink();
        }
    }

    [LoggerMessage(EventId = 4056, Level = LogLevel.Warning, Message = "No download link for {ProviderId}: {Problem}")]
    private static partial void LogNoLink(ILogger logger, string providerId, string problem);
}
