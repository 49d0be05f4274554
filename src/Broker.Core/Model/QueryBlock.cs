namespace Broker.Core.Model;

/// <summary>
/// One AND-block of a normalized query, the equivalent of a VSOi QueryRequestBlock. Every attribute
/// but <see cref="Time"/> is optional; string attributes compare case-insensitively.
/// </summary>
public sealed record QueryBlock
{
    /// <summary>The time range a record must overlap.</summary>
    public required TimeRange Time { get; init; }
    /// <summary>Provider name (SOAR, SDAC, JSOC ...).</summary>
    public string? Provider { get; init; }
    /// <summary>Observatory or spacecraft (SDO, SOLO, SOHO ...).</summary>
    public string? Source { get; init; }
    /// <summary>Instrument (AIA, EUI ...).</summary>
    public string? Instrument { get; init; }
    /// <summary>Detector or sensor.</summary>
    public string? Detector { get; init; }
    /// <summary>Physical observable (intensity, LOS_magnetic_field ...).</summary>
    public string? Physobs { get; init; }
    /// <summary>Processing level as the provider spells it (L1, 2, LL02 ...).</summary>
    public string? Level { get; init; }
    /// <summary>Spectral range in Angstrom, with an optional wave type (NARROW, BROAD ...).</summary>
    public WaveRange? Wave { get; init; }
    /// <summary>Spatial extent.</summary>
    public Extent? Extent { get; init; }
    /// <summary>VSO 'pixels'.</summary>
    public string? Pixels { get; init; }
    /// <summary>VSO 'resolution'.</summary>
    public string? Resolution { get; init; }
    /// <summary>VSO 'sample' (cadence in seconds).</summary>
    public string? Sample { get; init; }
    /// <summary>VSO 'filter'.</summary>
    public string? Filter { get; init; }

    /// <summary>The names of the optional attributes this block sets (used to plan which providers can answer).</summary>
    public IReadOnlySet<QueryAttribute> SetAttributes()
    {
        var set = new HashSet<QueryAttribute>();
        if (Provider is not null) set.Add(QueryAttribute.Provider);
        if (Source is not null) set.Add(QueryAttribute.Source);
        if (Instrument is not null) set.Add(QueryAttribute.Instrument);
        if (Detector is not null) set.Add(QueryAttribute.Detector);
        if (Physobs is not null) set.Add(QueryAttribute.Physobs);
        if (Level is not null) set.Add(QueryAttribute.Level);
        if (Wave is not null) set.Add(QueryAttribute.Wave);
        if (Wave?.WaveType is not null) set.Add(QueryAttribute.WaveType);
        if (Extent is { IsEmpty: false }) set.Add(QueryAttribute.Extent);
        if (Pixels is not null) set.Add(QueryAttribute.Pixels);
        if (Resolution is not null) set.Add(QueryAttribute.Resolution);
        if (Sample is not null) set.Add(QueryAttribute.Sample);
        if (Filter is not null) set.Add(QueryAttribute.Filter);
        return set;
    }
}

/// <summary>The query attributes a provider may declare it can filter on.</summary>
public enum QueryAttribute
{
    Provider, Source, Instrument, Detector, Physobs, Level, Wave,
    /// <remarks>Spelled as the query parameter and providers.yaml spell it.</remarks>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("wavetype")] WaveType,
    Extent, Pixels, Resolution, Sample, Filter,
}
