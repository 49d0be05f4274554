namespace Broker.Core.Units;

/// <summary>
/// The one rule for <see cref="Model.DataRecord.SizeKb"/>: whole kB (1024 bytes, VSOi's <c>size</c> unit), rounded
/// up. A provider giving exact bytes (SOAR <c>filesize</c>) and one giving kB (ObsCore/EPN-TAP <c>access_estsize</c>,
/// VSOi <c>size</c>) then show the same size for the same file.
/// </summary>
public static class FileSize
{
    /// <summary>Bytes as whole kB, rounded up; null or negative (unknown) is null.</summary>
    public static double? KbFromBytes(double? bytes) => bytes is >= 0 ? Math.Ceiling(bytes.Value / 1024d) : null;

    /// <summary>A size given in kB as whole kB, rounded up; null or negative (unknown) is null.</summary>
    public static double? Kb(double? kb) => kb is >= 0 ? Math.Ceiling(kb.Value) : null;
}
