namespace Broker.Soap.Envelope;

/// <summary>Bounds on one SOAP document, so that a hostile or broken request can cost only so much.</summary>
public sealed record SoapLimits
{
    /// <summary>Largest request body accepted. <value>Default 8 MiB (a GetData for ~50 000 file ids).</value></summary>
    public long MaxRequestBytes { get; init; } = 8 * 1024 * 1024;
    /// <summary>Deepest element nesting accepted. <value>Default 32 (VSOi needs about 10).</value></summary>
    public int MaxDepth { get; init; } = 32;
    /// <summary>Most elements in one document. <value>Default 500 000.</value></summary>
    public int MaxElements { get; init; } = 500_000;

    public static readonly SoapLimits Default = new();
}
