namespace Broker.Soap.Wsdl;

/// <summary>One local element of a VSOi complex type (always unqualified).</summary>
/// <param name="Type">"xsd:string", "xsd:float", "xsd:int" or a VSOi type name prefixed "VSO:".</param>
public sealed record SchemaElement(string Name, string Type, int MinOccurs = 0, bool Unbounded = false);

/// <summary>A named VSOi complex type: <c>xsd:all</c> (any order) or <c>xsd:sequence</c>.</summary>
public sealed record SchemaType(string Name, bool IsAll, IReadOnlyList<SchemaElement> Elements);

/// <summary>
/// The VSOi rpc/literal type model the broker serves (rebuilt from the JAX-WS classes generated from the
/// original WSDL). Responses never carry an element absent from here: zeep rejects undeclared elements.
/// </summary>
public static class VsoiSchema
{
    private const string S = "xsd:string", F = "xsd:float", I = "xsd:int";

    private static SchemaElement E(string name, string type = S, int min = 0, bool many = false) => new(name, type, min, many);
    private static SchemaType All(string name, params SchemaElement[] e) => new(name, true, e);
    private static SchemaType Seq(string name, params SchemaElement[] e) => new(name, false, e);

    /// <summary>Every complex type, in the order written to the WSDL.</summary>
    public static readonly IReadOnlyList<SchemaType> Types =
    [
        All("QueryRequest", E("version", F), E("block", "VSO:QueryRequestBlock", 1)),
        All("QueryRequestBlock",
            E("time", "VSO:Time", 1), E("provider"), E("source"), E("instrument"), E("physobs"),
            E("wave", "VSO:Wave"), E("extent", "VSO:Extent"), E("field", "VSO:Field"),
            E("pixels"), E("level"), E("resolution"), E("detector"), E("filter"), E("sample"), E("quicklook"), E("pscale")),
        All("Time", E("start", S, 1), E("end", S, 1), E("near")),
        All("Wave", E("wavemin", S, 1), E("wavemax", S, 1), E("waveunit", S, 1), E("wavetype")),
        All("Extent", E("x"), E("y"), E("width"), E("length"), E("type")),
        Seq("Field", E("fielditem", S, 0, true)),
        Seq("QueryResponse", E("provideritem", "VSO:ProviderQueryResponse", 0, true)),
        All("ProviderQueryResponse",
            E("version", F, 1), E("provider"), E("no_of_records_found", I), E("no_of_records_returned", I),
            E("record", "VSO:QueryResponseBlockArray"), E("error"), E("debug"), E("status")),
        Seq("QueryResponseBlockArray", E("recorditem", "VSO:QueryResponseBlock", 0, true)),
        All("QueryResponseBlock",
            E("provider", S, 1), E("source"), E("instrument"), E("physobs"), E("time", "VSO:Time", 1),
            E("wave", "VSO:Wave"), E("extent", "VSO:Extent"), E("size", F), E("extra", "VSO:Extra"),
            E("info"), E("datatype"), E("fileurl"), E("fileid")),
        All("Extra", E("thumbnail", "VSO:Thumbnail"), E("flags")),
        All("Thumbnail", E("hires"), E("lowres")),
        All("VSOGetDataRequest", E("version"), E("request", "VSO:GetDataRequest", 1)),
        All("GetDataRequest", E("method", "VSO:MethodItem"), E("info", "VSO:Info"), E("datacontainer", "VSO:DataContainer")),
        Seq("MethodItem", E("methodtype", S, 1, true)),
        All("Info", E("email", S, 1), E("host"), E("user"), E("directory"), E("password"), E("address"), E("required"), E("site")),
        Seq("DataContainer", E("datarequestitem", "VSO:DataRequestItem", 0, true)),
        All("DataRequestItem", E("provider", S, 1), E("fileiditem", "VSO:FileidItem", 1)),
        Seq("FileidItem", E("fileid", S, 1, true)),
        Seq("VSOGetDataResponse", E("getdataresponseitem", "VSO:GetDataResponseItem", 0, true)),
        All("GetDataResponseItem",
            E("version", S, 1), E("info", "VSO:GetDataResponseInfo"), E("provider"), E("status"), E("debug"), E("details"),
            E("getdataitem", "VSO:GetDataItem"), E("method", "VSO:MethodItem")),
        Seq("GetDataResponseInfo", E("infoitem", S, 1, true)),
        Seq("GetDataItem", E("dataitem", "VSO:DataItem", 0, true)),
        All("DataItem", E("provider", S, 1), E("url"), E("fileiditem", "VSO:FileidItem", 1)),
    ];
}
