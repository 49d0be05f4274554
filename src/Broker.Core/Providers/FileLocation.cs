namespace Broker.Core.Providers;

/// <summary>A request to fetch one file: its id and, when known, the record the broker returned for it.</summary>
public sealed record FileRequest(string FileId, Model.DataRecord? Record = null);

/// <summary>The status of one file id in a GetData answer.</summary>
public enum FileStatus
{
    /// <summary>A URL was found (and checked, when verification was asked for).</summary>
    Ok,
    /// <summary>The provider does not know the file id.</summary>
    NotFound,
    /// <summary>The URL was checked and did not serve data (404, HTML error page ...).</summary>
    Broken,
    /// <summary>The provider failed or timed out.</summary>
    Error,
}

/// <summary>Where one file can be downloaded, or why it cannot.</summary>
public sealed record FileLocation(
    string FileId, FileStatus Status, string? Url = null, long? SizeBytes = null, string? ContentType = null, string? Detail = null);
