using Broker.Core.Credentials;
using Broker.Core.Providers;
using Broker.Core.Validation;

namespace Broker.Core.Search;

/// <summary>The files asked of one provider in a GetData request.</summary>
public sealed record FileGroup(string ProviderId, IReadOnlyList<FileRequest> Files);

/// <summary>The answer of one provider to a GetData request: how the call went (<paramref name="Status"/>) and each file.</summary>
public sealed record FileGroupResult(string ProviderId, ProviderStatus Status, IReadOnlyList<FileLocation> Files, string? Message = null)
{
    /// <summary>The group's status summed up from its files (<see cref="FileGroupSummary"/>).</summary>
    public FileGroupStatus Summary => FileGroupSummary.Of(Status, Files);
}

/// <summary>Optionally checks that a URL really serves data (a HEAD request); implemented by the host.</summary>
public interface IUrlVerifier
{
    Task<FileLocation> VerifyAsync(string providerId, FileLocation location, CancellationToken cancellationToken);
}

/// <summary>GetData: routes file ids to the provider that returned them and asks each in parallel through its pipeline.</summary>
public sealed class FileResolver(IProviderCatalog catalog, TimeProvider time)
{
    /// <summary>
    /// Resolves every group in parallel. Throws <see cref="QueryValidationException"/> (the caller's error) before any
    /// provider call when the ids break <see cref="FileIdRules"/>; the doors check the same rule before their lookups.
    /// <paramref name="credentials"/> are the caller's own per provider (null: service credentials or anonymous), used for
    /// the lookups and the URL checks of that provider.
    /// </summary>
    public async Task<IReadOnlyList<FileGroupResult>> ResolveAsync(
        IReadOnlyList<FileGroup> groups, IUrlVerifier? verifier, CancellationToken cancellationToken, CallerCredentials? credentials = null)
    {
        FileIdRules.Validate(groups.SelectMany(g => g.Files.Select(f => f.FileId)).ToList(), "fileIds");
        using var scope = CallerCredentials.Use(credentials);
        var registry = catalog.Current;
        var tasks = groups.Select(g => ResolveGroupAsync(registry.Find(g.ProviderId), g, verifier, cancellationToken));
        var results = await Task.WhenAll(tasks).ConfigureAwait(false);
        await FailOverAsync(groups, results, registry, verifier, cancellationToken).ConfigureAwait(false);
        return results;
    }

    /// <summary>
    /// Files left without a URL (the provider failed, does not know the id, or the URL is broken) whose record lists
    /// other providers of the same dataset (<see cref="Model.DataRecord.AlsoAt"/>) are asked of those, one alternative
    /// after the other, all files of one round in parallel; a URL found there replaces the failure, with
    /// <see cref="FileLocation.ServedBy"/> saying where it came from.
    /// </summary>
    private async Task FailOverAsync(IReadOnlyList<FileGroup> groups, FileGroupResult[] results, ProviderRegistry registry,
        IUrlVerifier? verifier, CancellationToken ct)
    {
        for (var round = 0; ; round++)
        {
            var wanted = new List<(int Group, int File, Model.RecordAlternative Alternative)>();
            for (var g = 0; g < groups.Count; g++)
            {
                for (var f = 0; f < groups[g].Files.Count && f < results[g].Files.Count; f++)
                {
                    if (results[g].Files[f].HasUrl || groups[g].Files[f].Record?.AlsoAt is not { } alternatives || alternatives.Count <= round) continue;
                    wanted.Add((g, f, alternatives[round]));
                }
            }
            if (wanted.Count == 0) return;
            var asked = wanted.GroupBy(w => w.Alternative.Provider, StringComparer.OrdinalIgnoreCase)
                .Select(p => (Files: p.ToList(), Group: new FileGroup(p.Key, p.Select(w => new FileRequest(w.Alternative.FileId)).ToList())))
                .ToList();
            var answers = await Task.WhenAll(asked.Select(a => ResolveGroupAsync(registry.Find(a.Group.ProviderId), a.Group, verifier, ct))).ConfigureAwait(false);
            for (var i = 0; i < asked.Count; i++)
            {
                for (var k = 0; k < asked[i].Files.Count && k < answers[i].Files.Count; k++)
                {
                    var (g, f, alternative) = asked[i].Files[k];
                    var served = answers[i].Files[k];
                    if (!served.HasUrl) continue;
                    var failed = results[g].Files[f];
                    var files = results[g].Files.ToArray();
                    files[f] = served with
                    {
                        FileId = failed.FileId, ServedBy = alternative,
                        Detail = $"served by {alternative.Provider} (same dataset) because {results[g].ProviderId} answered: {failed.Detail ?? failed.Status.ToString()}",
                    };
                    results[g] = results[g] with { Files = files };
                }
            }
        }
    }

    private async Task<FileGroupResult> ResolveGroupAsync(ProviderRuntime? provider, FileGroup group, IUrlVerifier? verifier, CancellationToken ct)
    {
        if (provider is null)
            return new FileGroupResult(group.ProviderId, ProviderStatus.Error,
                group.Files.Select(f => new FileLocation(f.FileId, FileStatus.NotFound, Detail: $"unknown provider '{group.ProviderId}'")).ToList(),
                $"unknown provider '{group.ProviderId}'");
        var started = time.GetTimestamp();
        try
        {
            var found = await provider.ResolveFilesAsync(group.Files, ct).ConfigureAwait(false);
            if (verifier is not null)
                found = await Task.WhenAll(found.Select(f => f.HasUrl ? verifier.VerifyAsync(provider.Id, f, ct) : Task.FromResult(f))).ConfigureAwait(false);
            provider.Observe(ProviderStatus.Ok, (long)Math.Round(time.GetElapsedTime(started).TotalMilliseconds), null);
            return new FileGroupResult(provider.Id, ProviderStatus.Ok, found);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            var status = ProviderFaults.StatusOf(ex);
            var message = SearchEngine.Describe(ex);
            provider.Observe(status, (long)Math.Round(time.GetElapsedTime(started).TotalMilliseconds), message, ProviderFaults.IsProviderFault(ex));
            return new FileGroupResult(provider.Id, status,
                group.Files.Select(f => new FileLocation(f.FileId, FileStatus.Error, Detail: message)).ToList(), message);
        }
    }
}
