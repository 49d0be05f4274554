using Broker.Core.Model;
using Broker.Core.Providers;
using Broker.Core.Search;
using Broker.Soap.Contracts;

namespace Broker.Soap.Mapping;

/// <summary>Maps a VSOi GetData request to the broker's file groups, and the resolver's results back.</summary>
public static class VsoiGetDataMapper
{
    /// <summary>The method answered when the caller states none.</summary>
    public const string DefaultMethod = "URL";

    /// <summary>
    /// One group per provider (sunpy splits JSOC into one item per series: they are joined again), file ids
    /// de-duplicated in request order, each with the record the caller's session saw when known.
    /// </summary>
    public static IReadOnlyList<FileGroup> ToFileGroups(GetDataRequest request, IReadOnlyDictionary<string, DataRecord>? known = null)
    {
        var groups = new List<(string Provider, List<string> Ids, HashSet<string> Seen)>();
        foreach (var item in request.DataContainer?.Items ?? [])
        {
            var group = groups.FirstOrDefault(g => string.Equals(g.Provider, item.Provider, StringComparison.OrdinalIgnoreCase));
            if (group.Provider is null)
            {
                group = (item.Provider, [], new HashSet<string>(StringComparer.Ordinal));
                groups.Add(group);
            }
            foreach (var id in item.FileIds)
                if (group.Seen.Add(id)) group.Ids.Add(id);
        }
        return groups.Select(g => new FileGroup(g.Provider,
            g.Ids.Select(id => new FileRequest(id, known?.GetValueOrDefault(id) is { } r && string.Equals(r.Provider, g.Provider, StringComparison.OrdinalIgnoreCase) ? r : null)).ToList())).ToList();
    }

    /// <summary>The first URL method the caller accepts, or null when it accepts none (only URL methods are offered).</summary>
    public static string? ChooseMethod(GetDataRequest request)
    {
        var methods = request.Method?.MethodTypes ?? [];
        if (methods.Count == 0) return DefaultMethod;
        return methods.FirstOrDefault(m => m.StartsWith("URL", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The answer for groups no provider was asked about, because no acceptable method is offered (405).</summary>
    public static GetDataAnswer UnsupportedMethods(IReadOnlyList<FileGroup> groups, GetDataRequest request)
    {
        var asked = string.Join(", ", request.Method?.MethodTypes ?? []);
        var details = $"only URL transfer methods are offered (URL, URL-FILE ...); asked for: {asked}";
        return new GetDataAnswer(groups.Select(g => new ProviderFileAnswer(g.ProviderId, "405 " + details, details,
            request.Method?.MethodTypes.FirstOrDefault() ?? DefaultMethod,
            g.Files.Select(f => new FileAnswer(f.FileId, null, details)).ToList())).ToList());
    }

    /// <summary>
    /// Per provider, one item with status "200" and the URLs it gave (sunpy 4.1.2 reads the first three characters;
    /// it crashes on 300, so that is never used), then one item per file it could not resolve, with an HTTP-like
    /// code and the file id and reason in status and details: sunpy's fetch() files every non-200 item in its
    /// <c>errors</c>, so each missing file is listed there instead of silently not being downloaded.
    /// </summary>
    public static GetDataAnswer ToAnswer(IReadOnlyList<FileGroup> groups, IReadOnlyList<FileGroupResult> results, string method)
    {
        var answers = new List<ProviderFileAnswer>(groups.Count);
        for (var i = 0; i < groups.Count; i++)
        {
            var group = groups[i];
            var result = results.Count > i ? results[i] : null;
            var byId = new Dictionary<string, FileLocation>(StringComparer.Ordinal);
            foreach (var f in result?.Files ?? []) byId.TryAdd(f.FileId, f);
            var files = group.Files.Select(request => Find(byId, request.FileId) is var location
                ? (Location: location, Answer: ToFile(request.FileId, location, result))
                : default).ToList();
            var resolved = files.Where(f => f.Answer.Url is not null).Select(f => f.Answer).ToList();
            if (resolved.Count > 0)
            {
                // Unverified URLs go to sunpy like the others (it only downloads what a "200" item lists); the details say so.
                var unverified = files.Count(f => f.Location?.Status == FileStatus.Unverified);
                var details = unverified == 0 ? $"{resolved.Count} URL(s)"
                    : $"{resolved.Count} URL(s), {unverified} built from the file id without asking the provider (unverified)";
                answers.Add(new ProviderFileAnswer(group.ProviderId, "200", details, method, resolved));
            }
            foreach (var (location, missing) in files.Where(f => f.Answer.Url is null))
            {
                var code = (result?.Status, location?.Status) switch
                {
                    (ProviderStatus.Timeout, _) => "504",
                    (ProviderStatus.CircuitOpen, _) => "503",
                    (ProviderStatus.Unauthorized, _) => "401",
                    (_, FileStatus.NotFound) => "404",
                    (_, FileStatus.Broken) => "502",
                    _ => "500",
                };
                var details = Truncate($"{missing.FileId}: {missing.Detail}");
                answers.Add(new ProviderFileAnswer(group.ProviderId, $"{code} {details}", details, method, [missing]));
            }
        }
        return new GetDataAnswer(answers);
    }

    private static FileLocation? Find(Dictionary<string, FileLocation> byId, string id) =>
        byId.GetValueOrDefault(id) ?? byId.Values.FirstOrDefault(f => string.Equals(f.FileId, id, StringComparison.OrdinalIgnoreCase));

    private static FileAnswer ToFile(string requestedId, FileLocation? location, FileGroupResult? result) => location switch
    {
        { HasUrl: true, Url: { } url } => new FileAnswer(requestedId, url),
        { Status: FileStatus.NotFound } l => new FileAnswer(requestedId, null, l.Detail ?? "the provider does not know this file id"),
        { Status: FileStatus.Broken } l => new FileAnswer(requestedId, null, l.Detail ?? "the file URL was checked and does not serve data"),
        { } l => new FileAnswer(requestedId, null, l.Detail ?? result?.Message ?? "the provider failed"),
        null => new FileAnswer(requestedId, null, result?.Message ?? "the provider returned nothing for this file id"),
    };

    private static string Truncate(string text) => text.Length <= 1000 ? text : text[..1000] + "…";
}
