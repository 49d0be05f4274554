namespace Broker.Core.Model;

/// <summary>The VSO spatial extent: free strings as VSOi carries them (x, y, width, length in arcsec; type such as FULLDISK).</summary>
public sealed record Extent(string? X = null, string? Y = null, string? Width = null, string? Length = null, string? Type = null)
{
    /// <summary>True when no member is set.</summary>
    public bool IsEmpty => X is null && Y is null && Width is null && Length is null && Type is null;
}
