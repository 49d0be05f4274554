namespace Broker.Core.Model;

/// <summary>A spectral range, always held in Angstrom (min ≤ max); the unit the caller used is kept for display.</summary>
public sealed record WaveRange(double MinAngstrom, double MaxAngstrom, string? WaveType = null)
{
    /// <summary>True when [min, max] of a record (in Angstrom) overlaps this range.</summary>
    public bool Overlaps(double min, double max) => min <= MaxAngstrom && max >= MinAngstrom;
}
