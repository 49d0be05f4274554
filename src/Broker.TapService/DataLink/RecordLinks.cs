using Broker.Core.Credentials;
using Broker.Core.Model;
using Broker.Core.Providers;
using Broker.Core.Search;
using Broker.Core.Services;
using Broker.Core.Validation;
using Broker.TapService.Schema;
using Broker.VoTable;

namespace Broker.TapService.DataLink;

/// <summary>The broker's {links} answer: the rows and the service descriptors their service_def name.</summary>
public sealed record LinksAnswer(IReadOnlyList<LinkRow> Rows, IReadOnlyList<VoTableResource> Descriptors);

/// <summary>
/// The links of the broker's record ids (ObsCore <c>obs_publisher_did</c>, <c>access_url</c>). For a record whose
/// provider gives the file itself, <c>#this</c> is the URL GetData resolves and <c>#preview</c> the provider's preview
/// when the record has one. For a record whose provider's access URL is the provider's own DataLink document, the
/// broker reads that document and answers its rows under the broker's id (semantics, type, size, description, and
/// its error rows kept), with the service descriptors (SODA cut-outs) its rows name. A provider that fails, or an id
/// that cannot be resolved, gets an error row naming the DataLink fault. Records the caller's session was given add
/// what the provider said about the file (preview, size, type, and its field of view: <see cref="SkyHints"/>); any id works
/// without them, through the provider's GetData.
/// </summary>
public sealed class RecordLinks(FileResolver resolver, IRecordLookup lookup, IProviderCatalog catalog, ProviderLinksReader reader, TimeProvider time)
{
    /// <summary>Most ids one request may ask for.</summary>
    public const int MaxIds = 1000;

    /// <summary>Most provider DataLink documents read for one request; records beyond get a link to their provider's document.</summary>
    public const int MaxProviderDocuments = 100;

    /// <summary>Provider documents read at once for one request (each provider's own concurrency limit applies too).</summary>
    private const int ParallelDocuments = 8;

    public async Task<LinksAnswer> LinksAsync(IReadOnlyList<string> ids, string? sessionId, CancellationToken cancellationToken,
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

        // The providers' own DataLink documents, each read once, in the order of the ids.
        var documentKeys = parsed.Where(p => p.Ok)
            .Select(p => locations.TryGetValue((p.Provider.ToLowerInvariant(), p.FileId), out var f) ? f : default)
            .Where(f => f.File is { Status: FileStatus.Ok, Url: not null } && IsDataLink(f.File.ContentType))
            .Select(f => (Provider: f.File.ServedBy?.Provider ?? f.Group.ProviderId, Url: f.File.Url!))
            .Distinct().Take(MaxProviderDocuments).ToList();
        var documents = await ReadDocumentsAsync(documentKeys, credentials, cancellationToken).ConfigureAwait(false);

        var descriptors = new Descriptors();
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
            var record = RecordOf(p.Provider, p.FileId);
            var provider = found.File.ServedBy?.Provider ?? found.Group.ProviderId;
            if (found.File is { Status: FileStatus.Ok, Url: { } url } && IsDataLink(found.File.ContentType))
                rows.AddRange(ProviderRows(p.Id, provider, url, documents.GetValueOrDefault((provider, url)), descriptors, record?.Sky));
            else
                rows.AddRange(Rows(p.Id, found.Group, found.File, record));
            if (record?.ThumbnailUrl is { Length: > 0 } preview && rows.All(r => r.Id != p.Id || r.AccessUrl != preview) && found.File.Status == FileStatus.Ok)
                rows.Add(new LinkRow(p.Id, "#preview", AccessUrl: preview, Description: $"Preview image from provider {provider}") { LinkAuth = "false" });
        }
        return new LinksAnswer(rows, descriptors.All);
    }

    /// <summary>A provider document as read: its links, or why it could not be read (a DataLink fault and message).</summary>
    private sealed record Document(ProviderLinks? Links, string? Fault, string? Message);

    private async Task<Dictionary<(string Provider, string Url), Document>> ReadDocumentsAsync(
        IReadOnlyList<(string Provider, string Url)> keys, CallerCredentials? credentials, CancellationToken ct)
    {
        var result = new Dictionary<(string, string), Document>();
        if (keys.Count == 0) return result;
        using var scope = CallerCredentials.Use(credentials);
        using var gate = new SemaphoreSlim(ParallelDocuments);
        var registry = catalog.Current;
        var reads = keys.Select(async key =>
        {
            await gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                return (key, await ReadDocumentAsync(registry.Find(key.Provider), key.Url, ct).ConfigureAwait(false));
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        foreach (var (key, document) in await Task.WhenAll(reads).ConfigureAwait(false)) result[key] = document;
        return result;
    }

    private async Task<Document> ReadDocumentAsync(ProviderRuntime? provider, string url, CancellationToken ct)
    {
        if (provider is null) return new Document(null, "DefaultFault", "the provider is not in the registry");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return new Document(null, "DefaultFault", $"its DataLink URL '{url}' is not an absolute URL");
        var started = time.GetTimestamp();
        try
        {
            var links = await reader.ReadAsync(provider, uri, ct).ConfigureAwait(false);
            provider.Observe(ProviderStatus.Ok, Elapsed(started), null);
            var services = links.Rows.Where(r => r.Link.ServiceDef is not null)
                .Select(r => links.Resources.FirstOrDefault(d => d.Id == r.Link.ServiceDef)?.ParamValue("standardID") ?? "")
                .Where(s => s.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
            provider.ObserveLinkOffer(services, links.Rows.Any(r => r.Link.Semantics.StartsWith("#preview", StringComparison.Ordinal)));
            return new Document(links, null, null);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            var status = ProviderFaults.StatusOf(ex);
            var (fault, message) = status switch
            {
                ProviderStatus.Timeout => ("TransientFault", "no answer in time"),
                ProviderStatus.CircuitOpen => ("TransientFault", "its circuit is open after repeated failures"),
                _ when ex is HttpRequestException => ("TransientFault", "unreachable: " + ex.Message),
                _ => ("DefaultFault", ex.Message),
            };
            provider.Observe(status, Elapsed(started), message, ProviderFaults.IsProviderFault(ex));
            return new Document(null, fault, message);
        }
    }

    private long Elapsed(long started) => (long)Math.Round(time.GetElapsedTime(started).TotalMilliseconds);

    /// <summary>The rows of a record whose provider answers with its own DataLink document.</summary>
    private static IEnumerable<LinkRow> ProviderRows(string id, string provider, string url, Document? document, Descriptors descriptors, SkyCoverage? sky)
    {
        if (document is null)
        {
            yield return new LinkRow(id, "#auxiliary", AccessUrl: url, ContentType: LinksDocument.ContentType,
                Description: $"The provider's ({provider}) own DataLink document for this file, not read here: at most {MaxProviderDocuments} provider documents are read per request");
            yield break;
        }
        if (document.Links is not { } links)
        {
            yield return LinkRow.Error(id, document.Fault!, $"provider {provider}: {document.Message}");
            yield break;
        }
        if (links.Rows.Count == 0)
        {
            yield return LinkRow.Error(id, "NotFoundFault", $"the DataLink document of provider {provider} has no links for this file");
            yield break;
        }
        foreach (var row in links.Rows)
        {
            var link = row.Link;
            var mapped = link with { Id = id, Semantics = link.Semantics.Length > 0 ? link.Semantics : link.ErrorMessage is null ? "#auxiliary" : "#this" };
            if (mapped is { Semantics: "#this", ErrorMessage: null }) mapped = mapped with { Description = SkyHints.AppendTo(mapped.Description, sky) };
            if (link.ErrorMessage is null && link.ServiceDef is { } serviceDef)
            {
                mapped = descriptors.Add(links, row, serviceDef, sky) is { } newId
                    ? mapped with { ServiceDef = newId }
                    : LinkRow.Error(id, "DefaultFault", $"the DataLink document of provider {provider} names service '{serviceDef}', which it does not describe");
            }
            yield return mapped;
        }
    }

    private static IEnumerable<LinkRow> Rows(string id, FileGroupResult group, FileLocation file, DataRecord? record)
    {
        switch (file.Status)
        {
            case FileStatus.Ok:
                yield return new LinkRow(id, "#this", AccessUrl: file.Url, ContentType: file.ContentType ?? record?.ContentType,
                    ContentLength: file.SizeBytes ?? (record?.SizeKb is { } kb ? (long)Math.Round(kb * 1024) : null),
                    Description: SkyHints.AppendTo($"The file, as GetData resolves it at provider {file.ServedBy?.Provider ?? group.ProviderId}", record?.Sky))
                {
                    LinkAuth = "false",
                };
                break;
            case FileStatus.NotFound:
                yield return LinkRow.Error(id, "NotFoundFault", file.Detail ?? $"{group.ProviderId} does not know the file");
                break;
            default:
                var fault = group.Status is ProviderStatus.Timeout or ProviderStatus.CircuitOpen ? "TransientFault" : "DefaultFault";
                yield return LinkRow.Error(id, fault, $"provider {group.ProviderId} ({group.Status.WireName()}): {file.Detail ?? group.Message ?? "no answer"}");
                break;
        }
    }

    private static bool IsDataLink(string? contentType) =>
        contentType is not null && contentType.Contains("content=datalink", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The service descriptors of one answer. A provider's descriptor is passed through with a new ID unique in the
    /// answer (two providers may both call theirs "soda"); a PARAM whose <c>ref</c> names a FIELD of the provider's
    /// table (typically the ID input, filled from the row) gets that row's value instead, since the broker's table has
    /// other columns: one descriptor per distinct set of such values. A SODA descriptor whose CIRCLE/POLYGON inputs give
    /// no range gets the record's coverage (<see cref="SkyHints"/>).
    /// </summary>
    private sealed class Descriptors
    {
        private readonly List<VoTableResource> _all = [];
        private readonly Dictionary<(ProviderLinks Document, string Id, string Values), string> _ids = new();

        public IReadOnlyList<VoTableResource> All => _all;

        public string? Add(ProviderLinks document, ProviderLinkRow row, string serviceDef, SkyCoverage? sky)
        {
            var source = document.Resources.FirstOrDefault(r => r.Id == serviceDef);
            if (source is null) return null;
            string? Referenced(VoTableParam p) => p.Ref is not null && row.ReferencedValues.TryGetValue(p.Ref, out var v) ? v : null;
            var all = source.Params.Concat(source.Groups.SelectMany(g => g.Params)).ToList();
            var values = string.Join("\n", all.Where(p => p.Ref is not null).Select(p => p.Ref + "=" + Referenced(p)).Append(SkyHints.Describe(sky)));
            var key = (document, serviceDef, values);
            if (_ids.TryGetValue(key, out var id)) return id;
            id = "service" + (_all.Count + 1);
            VoTableParam Rewrite(VoTableParam p) => p.Ref is null ? p : p with { Ref = null, Value = Referenced(p) ?? p.Value };
            _all.Add(SkyHints.Apply(source with
            {
                Id = id,
                Params = source.Params.Select(Rewrite).ToList(),
                Groups = source.Groups.Select(g => g with { Params = g.Params.Select(Rewrite).ToList() }).ToList(),
            }, sky));
            _ids[key] = id;
            return id;
        }
    }
}
