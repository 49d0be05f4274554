namespace Broker.VoTable;

/// <summary>
/// A <c>RESOURCE type="meta"</c> of a VOTable: no rows, only PARAMs and GROUPs of PARAMs. DataLink service
/// descriptors (<c>utype="adhoc:service"</c>) are such resources.
/// </summary>
/// <param name="Id">The <c>ID</c> attribute (what a DataLink row's <c>service_def</c> names).</param>
/// <param name="Name">The <c>name</c> attribute.</param>
/// <param name="Utype">The <c>utype</c> attribute, e.g. <c>adhoc:service</c>.</param>
/// <param name="Description">The resource's DESCRIPTION text.</param>
/// <param name="Params">PARAMs directly in the resource (e.g. <c>accessURL</c>, <c>standardID</c>).</param>
/// <param name="Groups">GROUPs of PARAMs (e.g. <c>inputParams</c>).</param>
public sealed record VoTableResource(
    string? Id, string? Name, string? Utype, string? Description, IReadOnlyList<VoTableParam> Params, IReadOnlyList<VoTableGroup> Groups)
{
    /// <summary>The value of the PARAM named <paramref name="name"/> directly in the resource, or null.</summary>
    public string? ParamValue(string name) => Params.FirstOrDefault(p => p.Name == name)?.Value;
}

/// <summary>A GROUP of PARAMs inside a meta resource.</summary>
public sealed record VoTableGroup(string? Name, string? Description, IReadOnlyList<VoTableParam> Params);

/// <summary>A VOTable PARAM: a FIELD with one value, and the allowed range (<c>VALUES</c>) of a service input.</summary>
public sealed record VoTableParam(
    string Name, string Datatype, string? Arraysize, string? Xtype, string? Unit, string? Ucd, string? Utype, string Value,
    string? Ref, string? Description, string? Min, string? Max, IReadOnlyList<string> Options);
