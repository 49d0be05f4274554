using System.Collections.Frozen;

namespace Broker.Core.Units;

/// <summary>
/// A spectral unit and its exact conversion to Angstrom. Frequency and energy units are inverse:
/// converting a range swaps its ends. Constants are the SI-defined ones (c, h, e), so conversions are exact
/// to double precision: λ[Å] = 2.99792458e18 / ν[Hz] = 12.398419843320026 / E[keV].
/// </summary>
public sealed class WaveUnit
{
    /// <summary>Speed of light in Angstrom per second.</summary>
    public const double SpeedOfLightAngstromPerSecond = 2.99792458e18;
    /// <summary>h·c in keV·Angstrom (h = 6.62607015e-34 J s, c = 299792458 m/s, e = 1.602176634e-19 C).</summary>
    public const double PlanckTimesLightKevAngstrom = 6.62607015e-34 * 299792458.0 / 1.602176634e-19 * 1e10 / 1e3;

    private readonly double _factor;

    private WaveUnit(string name, double factor, bool inverse)
    {
        Name = name;
        _factor = factor;
        IsInverse = inverse;
    }

    /// <summary>The canonical name (as astropy spells it: Angstrom, nm, keV, kHz ...).</summary>
    public string Name { get; }

    /// <summary>True for frequency and energy units (λ is proportional to 1/value).</summary>
    public bool IsInverse { get; }

    public static readonly WaveUnit Angstrom = new("Angstrom", 1, false);

    private static readonly FrozenDictionary<string, WaveUnit> Known = BuildTable();

    /// <summary>Every accepted spelling, for error messages.</summary>
    public static IEnumerable<string> KnownNames => Known.Values.Select(u => u.Name).Distinct();

    /// <summary>Converts a value in this unit to Angstrom.</summary>
    public double ToAngstrom(double value) => IsInverse ? _factor / value : value * _factor;

    /// <summary>Converts a value in Angstrom to this unit.</summary>
    public double FromAngstrom(double angstrom) => IsInverse ? _factor / angstrom : angstrom / _factor;

    /// <summary>Converts a range in this unit to (min, max) in Angstrom, swapping the ends of inverse units.</summary>
    public (double Min, double Max) RangeToAngstrom(double min, double max)
    {
        var a = ToAngstrom(min);
        var b = ToAngstrom(max);
        return a <= b ? (a, b) : (b, a);
    }

    /// <summary>Looks a unit up by any usual spelling, case-insensitively (Ghz and kev are accepted as clients send them).</summary>
    public static bool TryParse(string? text, out WaveUnit unit)
    {
        unit = Angstrom;
        if (string.IsNullOrWhiteSpace(text)) return false;
        return Known.TryGetValue(text.Trim().ToLowerInvariant(), out unit!);
    }

    public override string ToString() => Name;

    private static FrozenDictionary<string, WaveUnit> BuildTable()
    {
        var c = SpeedOfLightAngstromPerSecond;
        var hc = PlanckTimesLightKevAngstrom;
        var units = new (WaveUnit Unit, string[] Aliases)[]
        {
            (Angstrom, ["angstrom", "angstroms", "a", "aa", "å", "ang"]),
            (new WaveUnit("pm", 1e-2, false), ["pm"]),
            (new WaveUnit("nm", 10, false), ["nm", "nanometer", "nanometers", "nanometre"]),
            (new WaveUnit("um", 1e4, false), ["um", "µm", "micron", "microns", "micrometer"]),
            (new WaveUnit("mm", 1e7, false), ["mm"]),
            (new WaveUnit("cm", 1e8, false), ["cm"]),
            (new WaveUnit("m", 1e10, false), ["m", "meter", "metre"]),
            (new WaveUnit("Hz", c, true), ["hz"]),
            (new WaveUnit("kHz", c / 1e3, true), ["khz"]),
            (new WaveUnit("MHz", c / 1e6, true), ["mhz"]),
            (new WaveUnit("GHz", c / 1e9, true), ["ghz"]),
            (new WaveUnit("THz", c / 1e12, true), ["thz"]),
            (new WaveUnit("eV", hc * 1e3, true), ["ev"]),
            (new WaveUnit("keV", hc, true), ["kev"]),
            (new WaveUnit("MeV", hc / 1e3, true), ["mev"]),
        };
        return units.SelectMany(u => u.Aliases.Select(a => (a, u.Unit)))
            .ToFrozenDictionary(p => p.a, p => p.Unit, StringComparer.Ordinal);
    }
}
