namespace Broker.Core.Model;

/// <summary>
/// The homogeneous record every provider answer is mapped to: times in UTC, wavelengths in Angstrom,
/// sizes in kB (1024 bytes, as VSO clients read it). <see cref="FileId"/> is unique per provider.
/// </summary>
public sealed record DataRecord
{
    /// <summary>Provider id in the broker's registry (routes GetData back to the adapter).</summary>
    public required string Provider { get; init; }
    /// <summary>Opaque, provider-specific file id.</summary>
    public required string FileId { get; init; }
    public string? Source { get; init; }
    public string? Instrument { get; init; }
    public string? Detector { get; init; }
    public string? Physobs { get; init; }
    public string? Level { get; init; }
    public DateTimeOffset? Start { get; init; }
    public DateTimeOffset? End { get; init; }
    /// <summary>Lower wavelength in Angstrom.</summary>
    public double? WaveMin { get; init; }
    /// <summary>Upper wavelength in Angstrom.</summary>
    public double? WaveMax { get; init; }
    public string? WaveType { get; init; }
    public Extent? Extent { get; init; }
    /// <summary>The sky coverage the provider gives (ObsCore s_ra, s_dec, s_fov, s_region ...); null when it gives none.</summary>
    public SkyCoverage? Sky { get; init; }
    /// <summary>Size in whole kB (1024 bytes, VSOi's <c>size</c> unit), rounded up by <see cref="Units.FileSize"/>; null when unknown.</summary>
    public double? SizeKb { get; init; }
    /// <summary>Free text (level, product, collection ...).</summary>
    public string? Info { get; init; }
    /// <summary>Kind of product: IMAGE, SPECTRUM, TIMESERIES ...</summary>
    public string? DataType { get; init; }
    /// <summary>A URL that fetches the file when the provider gives one directly (TAP data URL, access_url).</summary>
    public string? DownloadUrl { get; init; }
    /// <summary>MIME type of the file where known.</summary>
    public string? ContentType { get; init; }
    /// <summary>Preview image URL where known.</summary>
    public string? ThumbnailUrl { get; init; }
    /// <summary>
    /// The provider returned this record only because of credentials (its data rights are not public: ObsCore
    /// <c>data_rights</c>, or the column a TAP provider's <c>rightsColumn</c> option names).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool Restricted { get; init; }
    /// <summary>
    /// The dataset's identity across providers: the IVOA publisher DID (ObsCore <c>obs_publisher_did</c>) or the
    /// provider's configured <c>identity</c> (providers.yaml). Records of different providers with the same identity
    /// are one dataset: the merge keeps the first and lists the others in <see cref="AlsoAt"/>.
    /// </summary>
    public string? Identity { get; init; }
    /// <summary>Other providers serving the same dataset (set by the merge; null when none), in the broker's order.</summary>
    public IReadOnlyList<RecordAlternative>? AlsoAt { get; init; }
}

/// <summary>Where else a dataset can be fetched: a provider and its file id there (GetData falls over to it).</summary>
public sealed record RecordAlternative(string Provider, string FileId);
