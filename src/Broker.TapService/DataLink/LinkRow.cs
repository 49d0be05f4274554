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
    /// <summary>The service's own name for the link (local_semantics), kept from a provider's row.</summary>
    public string? LocalSemantics { get; init; }

    /// <summary>Whether the link needs authentication (<c>false</c>, <c>optional</c>, <c>true</c>); null: not said.</summary>
    public string? LinkAuth { get; init; }

    /// <summary>Whether the caller is authorized for the link, as the provider said; null: not said.</summary>
    public bool? LinkAuthorized { get; init; }

    /// <summary>DataLink 1.1 §3.2.4: an error row keeps the ID and says why in error_message; its semantics stay #this.</summary>
    public static LinkRow Error(string id, string fault, string message) => new(id, "#this", ErrorMessage: fault + ": " + message);
}
