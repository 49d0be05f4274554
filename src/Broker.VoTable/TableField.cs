namespace Broker.VoTable;

/// <summary>
/// Metadata of one table column, modelled on the VOTable <c>FIELD</c> element.
/// </summary>
/// <param name="Name">Column name (<c>FIELD/@name</c>).</param>
/// <param name="Datatype">VOTable datatype: boolean, bit, unsignedByte, short, int, long, char, unicodeChar,
/// float, double, floatComplex or doubleComplex.</param>
/// <param name="Arraysize">VOTable arraysize such as <c>"*"</c>, <c>"64*"</c> or <c>"19"</c>; null for a scalar
/// (for char/unicodeChar that means a single character).</param>
/// <param name="Xtype">Extended type, e.g. <c>timestamp</c>.</param>
/// <param name="Unit">Unit string.</param>
/// <param name="Ucd">Unified content descriptor.</param>
/// <param name="Utype">Data-model utype.</param>
/// <param name="Description">Free-text description (<c>FIELD/DESCRIPTION</c>).</param>
/// <param name="NullValue">Magic null value from <c>FIELD/VALUES/@null</c>, as written in the document.</param>
public sealed record TableField(
    string Name,
    string Datatype,
    string? Arraysize = null,
    string? Xtype = null,
    string? Unit = null,
    string? Ucd = null,
    string? Utype = null,
    string? Description = null,
    string? NullValue = null)
{
    /// <summary>The FIELD's XML <c>ID</c> attribute (what a PARAM's <c>ref</c> names), or null.</summary>
    public string? XmlId { get; init; }
}
