namespace Broker.VoTable;

/// <summary>A VOTable <c>INFO</c> element: <c>&lt;INFO name="..." value="..."&gt;content&lt;/INFO&gt;</c>.</summary>
/// <param name="Name">The <c>name</c> attribute.</param>
/// <param name="Value">The <c>value</c> attribute.</param>
/// <param name="Content">Optional text content.</param>
public sealed record VoTableInfo(string Name, string Value, string? Content = null);
