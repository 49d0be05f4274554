namespace Broker.Soap.Contracts;

/// <summary>VSOi QueryResponse: one item per provider (at least one, or sunpy fails).</summary>
public sealed record QueryResponse(IReadOnlyList<ProviderQueryResponse> ProviderItems);

/// <summary>VSOi ProviderQueryResponse: one provider's answer, counts, status and error text.</summary>
public sealed record ProviderQueryResponse
{
    public string Version { get; init; } = "1";
    public string? Provider { get; init; }
    public long? NoOfRecordsFound { get; init; }
    public long? NoOfRecordsReturned { get; init; }
    public IReadOnlyList<QueryResponseBlock> Records { get; init; } = [];
    public string? Error { get; init; }
    public string? Debug { get; init; }
    public string? Status { get; init; }
}

/// <summary>VSOi QueryResponseBlock: one record.</summary>
public sealed record QueryResponseBlock
{
    public required string Provider { get; init; }
    public string? Source { get; init; }
    public string? Instrument { get; init; }
    public string? Physobs { get; init; }
    public required VsoTime Time { get; init; }
    public VsoWave? Wave { get; init; }
    public VsoExtent? Extent { get; init; }
    /// <summary>Size in KiB; -1 when unknown (sunpy multiplies it, so it is always written).</summary>
    public double Size { get; init; } = -1;
    public Extra? Extra { get; init; }
    public string? Info { get; init; }
    public string? DataType { get; init; }
    public string? FileUrl { get; init; }
    public string? FileId { get; init; }
    /// <summary>Read from providers that send it; not written (the WSDL does not declare it).</summary>
    public string? Detector { get; init; }
}

/// <summary>VSOi Extra: thumbnail links and flags.</summary>
public sealed record Extra(Thumbnail? Thumbnail = null, string? Flags = null);

/// <summary>VSOi Thumbnail: preview URLs.</summary>
public sealed record Thumbnail(string? Hires = null, string? Lowres = null);
