namespace Broker.Server.Hosting;

/// <summary>Host settings, section <c>Broker</c>.</summary>
public sealed record BrokerOptions
{
    /// <summary>The URL callers reach the broker at (behind a proxy); used in WSDL addresses and UWS Locations.</summary>
    public string? PublicBaseUrl { get; init; }
    /// <summary>Largest accepted request body. <value>Default 1 MiB.</value></summary>
    public long MaxRequestBytes { get; init; } = 1 << 20;
}
