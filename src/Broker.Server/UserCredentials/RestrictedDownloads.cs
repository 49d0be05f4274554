using Broker.Core.Credentials;
using Broker.Core.Providers;
using Broker.Core.Search;
using Broker.Server.Soap;

namespace Broker.Server.UserCredentials;

/// <summary>
/// What GetData hands out for files that need credentials: a link to the broker's download endpoint
/// (<see cref="DownloadApi"/>), bound to the session, provider and file, instead of the provider's URL that would not
/// work for the user without the credentials. Applies to providers the session has its own credentials for, and to
/// providers the broker itself logs in to (providers.yaml <c>auth</c> with a service credential).
/// </summary>
public sealed class RestrictedDownloads(DownloadLinks links, IProviderCatalog catalog)
{
    /// <summary>The results with broker links in place of the URLs that need credentials; unchanged without a session.</summary>
    public IReadOnlyList<FileGroupResult> HandOut(
        HttpContext http, string? sessionId, CallerCredentials? credentials, IReadOnlyList<FileGroupResult> results)
    {
        if (sessionId is null) return results;
        var registry = catalog.Current;
        var baseUrl = VsoSoapEndpoints.PublicBaseUrl(http) + DownloadApi.Path + "/";
        return results.Select(group =>
        {
            var provider = registry.Find(group.ProviderId);
            var needsCredentials = credentials?.Has(group.ProviderId) == true || provider?.Config.Auth is { HasServiceCredential: true };
            if (provider is null || !needsCredentials) return group;
            return group with
            {
                Files = group.Files.Select(f => f is { Status: FileStatus.Ok, Url: { } url }
                    ? f with { Url = baseUrl + links.Issue(sessionId, provider.Id, f.FileId, url) + "/" + Uri.EscapeDataString(DownloadApi.FileName(f.FileId)) }
                    : f).ToList(),
            };
        }).ToList();
    }
}
