using System.Collections.Concurrent;

namespace Broker.Providers.Tap.Profiles;

/// <summary>
/// Derives VSO's physobs vocabulary (intensity, LOS_magnetic_field, VECTOR_magnetic_field, LOS_velocity,
/// Stokes_parameters, spectrum, particle_flux …) from what TAP services publish: an observable UCD (ObsCore o_ucd,
/// EPN-TAP measurement_type) or a SOAR product descriptor. Without it a physobs query could never match a TAP record.
/// </summary>
internal static class PhysicalObservable
{
    /// <summary>Maps a UCD (or a #/;-list of UCDs) to a physobs; null when nothing fits.</summary>
    public static string? FromUcd(string? ucd)
    {
        if (string.IsNullOrWhiteSpace(ucd)) return null;
        // Called per returned record, with the few UCDs of a service again and again (interleaved, so remembering
        // only the last one missed): classified once each. Bounded, since the UCDs come from the services.
        if (Classified.TryGetValue(ucd, out var known)) return known;
        var physobs = Classify(ucd);
        if (Classified.Count < MaxClassified) Classified.TryAdd(ucd, physobs);
        return physobs;
    }

    private const int MaxClassified = 1024;
    private static readonly ConcurrentDictionary<string, string?> Classified = new(StringComparer.Ordinal);

    private static string? Classify(string ucd)
    {
        // UCDs are case-insensitive: compared in place, since a lower-case copy per returned record added up.
        bool Has(string part) => ucd.Contains(part, StringComparison.OrdinalIgnoreCase);
        if (Has("phys.polarization")) return "Stokes_parameters";
        if (Has("phys.magfield")) return Has("pos.") || Has("meta.vector") ? "VECTOR_magnetic_field" : "LOS_magnetic_field";
        if (Has("phys.veloc")) return "LOS_velocity";
        if (Has("phys.particle")) return "particle_flux";
        if (Has("spect.") && !Has("phot.")) return "spectrum";
        if (Has("phot.flux") || Has("phot.count") || Has("phot.mag") || Has("phys.flux")) return "intensity";
        return null;
    }

    /// <summary>Maps a SOAR descriptor such as <c>eui-fsi174-image</c> or <c>phi-hrt-blos</c> to a physobs.</summary>
    public static string? FromSoarDescriptor(string? descriptor, string? instrument)
    {
        var d = descriptor?.ToLowerInvariant() ?? "";
        if (d.Contains("blos")) return "LOS_magnetic_field";
        if (d.Contains("bmag") || d.Contains("bazi") || d.Contains("binc") || d.Contains("bvec")) return "VECTOR_magnetic_field";
        if (d.Contains("vlos")) return "LOS_velocity";
        if (d.Contains("stokes")) return "Stokes_parameters";
        if (d.Contains("icnt") || d.Contains("image")) return "intensity";
        return instrument?.ToUpperInvariant() switch
        {
            "MAG" => "VECTOR_magnetic_field",
            "EPD" or "SWA" => "particle_flux",
            "SPICE" or "RPW" or "STIX" => "spectrum",
            "EUI" or "METIS" or "SOLOHI" => "intensity",
            _ => null,
        };
    }
}
