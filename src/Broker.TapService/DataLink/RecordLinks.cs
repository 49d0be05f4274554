using Broker.Core.Credentials;
using Broker.Core.Model;
using Broker.Core.Providers;
using Broker.Core.Search;
using Broker.Core.Services;
using Broker.Core.Validation;
using Broker.TapService.Schema;

namespace Broker.TapService.DataLink;

/// <summary>
/// The links of the broker's record ids (ObsCore <c>obs_publisher_did</c>, <c>access_url</c>): <c>#this</c> is the
/// URL GetData resolves (the provider's own DataLink document instead when the provider's access URL is one),
/// <c>#preview</c> the provider's preview when the record has one, and an error row naming the DataLink fault for an
/// id that cannot be resolved. Records the caller's session was given add what the provider said about the file
/// (preview, size, type); any id works without them, through the provider's GetData.
/// </summary>
public sealed class RecordLinks(FileResolver resolver, IRecordLookup lookup)
{
    /// <summary>Most ids one request may ask for.</summary>
    public const int MaxIds = 1000;

    public async Task<IReadOnlyList<LinkRow>> LinksAsync(IReadOnlyList<string> ids, string? sessionId, CancellationToken cancellationToken,
        CallerCredentials? credentials = null)
    {
        var parsed = ids.Select(id => (Id: id, Ok: RecordId.TryParse(id, out var provider, out var fileId), Provider: provider, FileId: fileId)).ToList();
        var wanted = parsed.Where(p => p.Ok && FileIdRules.Check([p.FileId], "ID").Count == 0).ToList();
        var records = sessionId is null || wanted.Count == 0 ? new Dictionary<string, DataRecord>()
            : await lookup.FindAsync(sessionId, wanted.Select(p => p.FileId).Distinct().ToList(), cancellationToken).ConfigureAwait(false);
        DataRecord? RecordOf(string provider, string fileId) =>
            records.TryGetValue(fileId, out var r) && string.Equals(r.Provider, provider, StringComparison.OrdinalIgnoreCase) ? r : null;

        var groups = wanted.GroupBy(p => p.Provider, StringComparer.OrdinalIgnoreCase)
            .Select(g => new FileGroup(g.Key, g.Select(p => p.FileId).Distinct().Select(f => new FileRequest(f, RecordOf(g.Key, f))).ToList()))
            .ToList();
        var resolved = groups.Count == 0 ? [] : await resolver.ResolveAsync(groups, verifier: null, cancellationToken, credentials).ConfigureAwait(false);
        var locations = resolved.SelectMany(g => g.Files.Select(f => (Key: (g.ProviderId.ToLowerInvariant(), f.FileId), Group: g, File: f)))
            .GroupBy(x => x.Key).ToDictionary(x => x.Key, x => x.First());

        var rows = new List<LinkRow>();
        foreach (var p in parsed)
        {
            if (!p.Ok)
            {
                rows.Add(LinkRow.Error(p.Id, "NotFoundFault", $"'{p.Id}' is not an identifier of this service (they read {RecordId.Format("{provider}", "{fileId}")})"));
                continue;
            }
            if (!locations.TryGetValue((p.Provider.ToLowerInvariant(), p.FileId), out var found))
            {
                rows.Add(LinkRow.Error(p.Id, "UsageFault", "the file id is not valid: " + string.Join("; ", FileIdRules.Check([p.FileId], "ID").Select(e => e.Message))));
                continue;
            }
            rows.AddRange(Rows(p.Id, found.Group, found.File, RecordOf(p.Provider, p.FileId)));
        }
        return rows;
    }

    private static IEnumerable<LinkRow> Rows(string id, FileGroupResult group, FileLocation file, DataRecord? record)
    {
        switch (file.Status)
        {
            case FileStatus.Ok when IsDataLink(file.ContentType):
                yield return new LinkRow(id, "#auxiliary", AccessUrl: file.Url, ContentType: file.ContentType,
                    Description: $"The provider's ({group.ProviderId}) own DataLink document for this file: its links, including any cut-out (SODA) services it offers");
                break;
            case FileStatus.Ok:
                yield return new LinkRow(id, "#this", AccessUrl: file.Url, ContentType: file.ContentType ?? record?.ContentType,
                    ContentLength: file.SizeBytes ?? (record?.SizeKb is { } kb ? (long)Math.Round(kb * 1024) : null),
                    Description: $"The file, as GetData resolves it at provider {group.ProviderId}");
                break;
            case FileStatus.NotFound:
                yield return LinkRow.Error(id, "NotFoundFault", file.Detail ?? $"{group.ProviderId} does not know the file");
                yield break;
            default:
                var fault = group.Status is ProviderStatus.Timeout or ProviderStatus.CircuitOpen ? "TransientFault" : "DefaultFault";
                yield return LinkRow.Error(id, fault, $"provider {group.ProviderId} ({group.Status.WireName()}): {file.Detail ?? group.Message ?? "no answer"}");
                yield break;
        }
        if (record?.ThumbnailUrl is { Length: > 0 } preview)
            yield return new LinkRow(id, "#preview", AccessUrl: preview, Description: $"Preview image from provider {group.ProviderId}");
    }

    private static bool IsDataLink(string? contentType) =>
        contentType is not null && contentType.Contains("content=datalink", StringComparison.OrdinalIgnoreCase);
}
