namespace Broker.Core.Providers;

/// <summary>A request to fetch one file: its id and, when known, the record the broker returned for it.</summary>
public sealed record FileRequest(string FileId, Model.DataRecord? Record = null);

/// <summary>The status of one file id in a GetData answer.</summary>
public enum FileStatus
{
    /// <summary>A URL the provider gave for this file (its search record or a lookup), or one checked with verification.</summary>
    Ok,
    /// <summary>
    /// A URL built from the file id by the provider's documented pattern, without asking the provider whether the file
    /// exists; verification turns it into <see cref="Ok"/> or <see cref="Broken"/>.
    /// </summary>
    Unverified,
    /// <summary>The provider does not know the file id.</summary>
    NotFound,
    /// <summary>The URL was checked and did not serve data (404, HTML error page ...).</summary>
    Broken,
    /// <summary>The provider failed or timed out.</summary>
    Error,
}

/// <summary>Where one file can be downloaded, or why it cannot.</summary>
public sealed record FileLocation(
    string FileId, FileStatus Status, string? Url = null, long? SizeBytes = null, string? ContentType = null, string? Detail = null)
{
    /// <summary>Set when the provider asked failed for this file and another provider of the same dataset served it.</summary>
    public Model.RecordAlternative? ServedBy { get; init; }

    /// <summary>True when the caller gets a URL to download (checked or not).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool HasUrl => (Status is FileStatus.Ok or FileStatus.Unverified) && Url is { Length: > 0 };
}
