namespace Broker.Core.Model;

/// <summary>
/// Where on the sky a record looks, as the provider gives it (ObsCore's spatial axis): centre in ICRS degrees, field
/// of view, footprint, resolution and image size. The broker never computes or invents any of it: a member the
/// provider does not give is null, and a record whose provider has no spatial columns has no <see cref="SkyCoverage"/>.
/// </summary>
public sealed record SkyCoverage
{
    /// <summary>Right ascension of the centre, ICRS, degrees (ObsCore <c>s_ra</c>).</summary>
    public double? Ra { get; init; }
    /// <summary>Declination of the centre, ICRS, degrees (ObsCore <c>s_dec</c>).</summary>
    public double? Dec { get; init; }
    /// <summary>Diameter of the field of view, degrees (ObsCore <c>s_fov</c>).</summary>
    public double? FovDeg { get; init; }
    /// <summary>
    /// The footprint as text, in the form the provider stored it: an STC-S region (<c>POLYGON ICRS 10 20 …</c>,
    /// <c>CIRCLE ICRS 10 20 0.3</c>) or a DALI array written as numbers separated by spaces (2 numbers: point, 3: circle,
    /// 6 or more: polygon; DaCHS serves ObsCore <c>s_region</c> so).
    /// </summary>
    public string? Region { get; init; }
    /// <summary>Spatial resolution, arcsec (ObsCore <c>s_resolution</c>).</summary>
    public double? ResolutionArcsec { get; init; }
    /// <summary>Pixels along the first spatial axis (ObsCore <c>s_xel1</c>).</summary>
    public long? Xel1 { get; init; }
    /// <summary>Pixels along the second spatial axis (ObsCore <c>s_xel2</c>).</summary>
    public long? Xel2 { get; init; }

    /// <summary>True when the centre is known (both coordinates).</summary>
    public bool HasPosition => Ra is not null && Dec is not null;

    /// <summary>True when no member is set.</summary>
    public bool IsEmpty => Ra is null && Dec is null && FovDeg is null && Region is null && ResolutionArcsec is null && Xel1 is null && Xel2 is null;
}
