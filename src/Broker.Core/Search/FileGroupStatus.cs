using Broker.Core.Providers;

namespace Broker.Core.Search;

/// <summary>What one provider's part of a GetData answer amounts to, summed up from its files.</summary>
public enum FileGroupStatus
{
    /// <summary>Every file has a URL the provider gave (or that verification checked).</summary>
    Ok,
    /// <summary>Every file has a URL, and at least one was built from its id without asking the provider.</summary>
    Unverified,
    /// <summary>Some files have a URL, others not (not found, broken, failed).</summary>
    Partial,
    /// <summary>The provider answered, and no file has a URL (unknown ids, or URLs checked and broken).</summary>
    NotFound,
    /// <summary>The provider failed (or is unknown): no file has a URL.</summary>
    Error,
    /// <summary>The provider did not answer in time: no file has a URL.</summary>
    Timeout,
    /// <summary>The provider was not called: its circuit is open.</summary>
    CircuitOpen,
    /// <summary>The provider refused the credentials used (the service's or the caller's).</summary>
    Unauthorized,
}

/// <summary>The one rule that sums a provider's file statuses up (REST, web page and SOAP door read it).</summary>
public static class FileGroupSummary
{
    /// <summary>The group's status: the call's failure when the provider failed and no file has a URL, else what its files say.</summary>
    public static FileGroupStatus Of(ProviderStatus call, IReadOnlyCollection<FileLocation> files)
    {
        var withUrl = files.Count(f => f.HasUrl);
        // A failed call whose files other providers served (GetData failover) is summed up from those files.
        if (call != ProviderStatus.Ok && withUrl == 0)
            return Enum.TryParse<FileGroupStatus>(call.ToString(), out var failed) && failed != FileGroupStatus.Ok ? failed : FileGroupStatus.Error;
        if (withUrl == 0) return files.Any(f => f.Status == FileStatus.Error) ? FileGroupStatus.Error : FileGroupStatus.NotFound;
        if (withUrl < files.Count) return FileGroupStatus.Partial;
        return files.Any(f => f.Status == FileStatus.Unverified) ? FileGroupStatus.Unverified : FileGroupStatus.Ok;
    }
}
