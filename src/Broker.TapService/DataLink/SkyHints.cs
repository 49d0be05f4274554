using System.Globalization;
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
        string? circle = sky is { HasPosition: true, FovDeg: { } fov } ? $"{N(sky.Ra!.Value)} {N(sky.Dec!.Value)} {N(fov / 2)}" : Shape(sky.Region, "CIRCLE", 3);
        var polygon = Shape(sky.Region, "POLYGON", -1);
        VoTableParam Hint(VoTableParam p) => p switch
        {
            { Max: null, Min: null } when p.Name.Equals("CIRCLE", StringComparison.OrdinalIgnoreCase) && circle is not null => p with { Max = circle },
            { Max: null, Min: null } when p.Name.Equals("POLYGON", StringComparison.OrdinalIgnoreCase) && polygon is not null => p with { Max = polygon },
            _ => p,
        };
        return descriptor with { Groups = descriptor.Groups.Select(g => g with { Params = g.Params.Select(Hint).ToList() }).ToList() };
    }

    /// <summary>
    /// The numbers of an STC-S <paramref name="shape"/> (<c>POLYGON ICRS 1 2 …</c>) or of a DALI array of the right length
    /// (3 numbers: circle, 6 or more and even: polygon), as DALI writes them; null for anything else.
    /// </summary>
    private static string? Shape(string? region, string shape, int count)
    {
        if (region is null) return null;
        var words = region.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (words.Count > 0 && !double.TryParse(words[0], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            if (!words[0].Equals(shape, StringComparison.OrdinalIgnoreCase)) return null;
            words.RemoveAt(0);
            if (words.Count > 0 && words[0].Equals("ICRS", StringComparison.OrdinalIgnoreCase)) words.RemoveAt(0);
            else if (words.Count > 0 && !double.TryParse(words[0], NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return null; // another frame
        }
        if (!words.All(w => double.TryParse(w, NumberStyles.Float, CultureInfo.InvariantCulture, out _))) return null;
        var fits = count > 0 ? words.Count == count : words.Count >= 6 && words.Count % 2 == 0;
        return fits ? string.Join(' ', words) : null;
    }

    private static string N(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
