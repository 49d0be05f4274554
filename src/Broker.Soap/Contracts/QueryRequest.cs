namespace Broker.Soap.Contracts;

/// <summary>VSOi QueryRequest: one block (sunpy sends one Query per OR-branch) and an optional version.</summary>
public sealed record QueryRequest(QueryRequestBlock Block, string? Version = null);

/// <summary>VSOi QueryRequestBlock: all values are the caller's text (validated later by the query normalizer).</summary>
public sealed record QueryRequestBlock
{
    public VsoTime? Time { get; init; }
    public string? Provider { get; init; }
    public string? Source { get; init; }
    public string? Instrument { get; init; }
    public string? Physobs { get; init; }
    public VsoWave? Wave { get; init; }
    public VsoExtent? Extent { get; init; }
    public VsoField? Field { get; init; }
    public string? Pixels { get; init; }
    public string? Level { get; init; }
    public string? Resolution { get; init; }
    public string? Detector { get; init; }
    public string? Filter { get; init; }
    public string? Sample { get; init; }
    public string? Quicklook { get; init; }
    /// <summary>VSOi <c>pscale</c>; IDL sends it as <c>pixelscale</c>.</summary>
    public string? PScale { get; init; }
    /// <summary>Elements outside the WSDL that IDL sends (datatype, dark, eclipse, exptime, percentd): kept, not used.</summary>
    public IReadOnlyDictionary<string, string> Extras { get; init; } = new Dictionary<string, string>();
}

/// <summary>VSOi Time: YYYYMMDDHHMMSS UTC strings.</summary>
public sealed record VsoTime(string? Start, string? End, string? Near = null);

/// <summary>VSOi Wave: min/max as text in <see cref="WaveUnit"/>, optional wave type.</summary>
public sealed record VsoWave(string? WaveMin, string? WaveMax, string? WaveUnit, string? WaveType = null);

/// <summary>VSOi Extent: free strings (arcsec) and a type such as FULLDISK.</summary>
public sealed record VsoExtent(string? X = null, string? Y = null, string? Width = null, string? Length = null, string? Type = null);

/// <summary>VSOi Field: extra fields asked for (e.g. <c>thumbnail</c>).</summary>
public sealed record VsoField(IReadOnlyList<string> FieldItems);
