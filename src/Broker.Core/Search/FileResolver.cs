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
        return await Task.WhenAll(tasks).ConfigureAwait(false);
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
            var status = ex switch
            {
                ProviderUnauthorizedException => ProviderStatus.Unauthorized,
                Polly.Timeout.TimeoutRejectedException or OperationCanceledException => ProviderStatus.Timeout,
                Polly.CircuitBreaker.BrokenCircuitException => ProviderStatus.CircuitOpen,
                _ => ProviderStatus.Error,
            };
            var message = SearchEngine.Describe(ex);
            provider.Observe(status, (long)Math.Round(time.GetElapsedTime(started).TotalMilliseconds), message, ProviderFaults.IsProviderFault(ex));
            return new FileGroupResult(provider.Id, status,
                group.Files.Select(f => new FileLocation(f.FileId, FileStatus.Error, Detail: message)).ToList(), message);
        }
    }
}
