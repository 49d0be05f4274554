namespace Broker.TapService.DataLink;

/// <summary>
/// One row of a DataLink 1.1 {links} response. Exactly one of <see cref="AccessUrl"/>, <see cref="ServiceDef"/> and
/// <see cref="ErrorMessage"/> is set; an error row names its DataLink fault (<c>NotFoundFault: …</c>).
/// </summary>
public sealed record LinkRow(
    string Id,
    string Semantics,
    string? AccessUrl = null,
    string? ServiceDef = null,
    string? ErrorMessage = null,
    string? Description = null,
    string? ContentType = null,
    long? ContentLength = null,
    string? ContentQualifier = null)
{
    /// <summary>DataLink 1.1 §3.2.4: an error row keeps the ID and says why in error_message; its semantics stay #this.</summary>
    public static LinkRow Error(string id, string fault, string message) => new(id, "#this", ErrorMessage: fault + ": " + message);
}
