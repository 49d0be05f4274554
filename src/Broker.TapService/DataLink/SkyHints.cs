using System.Globalization;
using Broker.Adql.Geometry;
using Broker.Core.Model;
using Broker.VoTable;

namespace Broker.TapService.DataLink;

/// <summary>
/// Field-of-view and reference-pixel hints from a record's sky coverage (ObsCore <c>s_ra</c>, <c>s_dec</c>,
/// <c>s_fov</c>, <c>s_region</c>, <c>s_resolution</c>, <c>s_xel1/2</c>), only where the provider gave them: a sentence for
/// the <c>#this</c> row's description, and the largest cut-out (SODA 1.0 §3.3: <c>VALUES/MAX</c> of the CIRCLE and
/// POLYGON inputs) for a SODA descriptor that does not say it itself.
/// </summary>
internal static class SkyHints
{
    private const string SodaPrefix = "ivo://ivoa.net/std/SODA";

    /// <summary>"field of view 0.96 deg (s_fov), centre RA … Dec … (ICRS) …", or null when the record has no sky coverage.</summary>
    public static string? Describe(SkyCoverage? sky)
    {
        if (sky is null || sky.IsEmpty) return null;
        var parts = new List<string>();
        if (sky.FovDeg is { } fov) parts.Add($"field of view {N(fov)} deg (s_fov)");
        if (sky.HasPosition) parts.Add($"centre RA {N(sky.Ra!.Value)} Dec {N(sky.Dec!.Value)} deg ICRS (s_ra, s_dec)");
        if (sky.Xel1 is { } x1 && sky.Xel2 is { } x2) parts.Add($"{x1} x {x2} pixels (s_xel1, s_xel2)");
        if (sky.ResolutionArcsec is { } res) parts.Add($"{N(res)} arcsec resolution (s_resolution)");
        if (sky.Region is { Length: > 0 } region) parts.Add($"footprint {region} (s_region)");
        return string.Join("; ", parts);
    }

    /// <summary>The row's description with the hints appended.</summary>
    public static string? AppendTo(string? description, SkyCoverage? sky) =>
        Describe(sky) is { } hints ? (string.IsNullOrEmpty(description) ? "" : description + "; ") + hints : description;

    /// <summary>A SODA descriptor whose CIRCLE/POLYGON inputs get the record's coverage as their MAX when they have none.</summary>
    public static VoTableResource Apply(VoTableResource descriptor, SkyCoverage? sky)
    {
        if (sky is null || descriptor.ParamValue("standardID")?.StartsWith(SodaPrefix, StringComparison.Ordinal) != true) return descriptor;
        string? circle = sky is { HasPosition: true, FovDeg: { } fov } ? $"{N(sky.Ra!.Value)} {N(sky.Dec!.Value)} {N(fov / 2)}" : Shape(sky.Region, "CIRCLE");
        var polygon = Shape(sky.Region, "POLYGON");
        VoTableParam Hint(VoTableParam p) => p switch
        {
            { Max: null, Min: null } when p.Name.Equals("CIRCLE", StringComparison.OrdinalIgnoreCase) && circle is not null => p with { Max = circle },
            { Max: null, Min: null } when p.Name.Equals("POLYGON", StringComparison.OrdinalIgnoreCase) && polygon is not null => p with { Max = polygon },
            _ => p,
        };
        return descriptor with { Groups = descriptor.Groups.Select(g => g with { Params = g.Params.Select(Hint).ToList() }).ToList() };
    }

    /// <summary>
    /// The numbers of a region of the given kind (STC-S <c>POLYGON ICRS 1 2 …</c> or a DALI array, read by the one region
    /// reader, <see cref="RegionText"/>), as DALI writes them; null for another kind or unreadable text.
    /// </summary>
    private static string? Shape(string? region, string kind) =>
        RegionText.Read(region) is { } r && r.Kind == kind
            ? string.Join(' ', r.Numbers.Select(n => n.ToString("R", CultureInfo.InvariantCulture)))
            : null;

    private static string N(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
