using System.Xml.Linq;
using Broker.Soap.Contracts;
using Broker.Soap.Envelope;
using static Broker.Soap.Messages.XmlValues;

namespace Broker.Soap.Messages;

/// <summary>
/// Reads VSOi requests as sent by zeep (<c>VSO:Query/body/block</c>, unqualified children) and by IDL/SSW
/// (default namespace, no <c>body</c> wrapper, <c>pixelscale</c>, xsi:nil, encoded GetData arrays).
/// Elements outside the model are tolerated; what is missing and required is a Client fault.
/// </summary>
public static class VsoiRequestReader
{
    /// <summary>Detects the operation from the body's first element and reads its message.</summary>
    public static VsoiRequest Read(SoapEnvelope envelope)
    {
        var operation = envelope.Content;
        if (envelope.IsFault) throw SoapFaultException.Client("a soap:Fault is not a request");
        var ns = operation.Name.NamespaceName;
        if (ns.Length != 0 && ns != VsoiNames.Namespace)
            throw SoapFaultException.Client(
                $"the operation element '{operation.Name.LocalName}' is in namespace '{ns}'; VSOi operations are in {VsoiNames.Namespace}");
        return operation.Name.LocalName switch
        {
            VsoiNames.QueryOperation => new VsoiRequest(VsoiOperation.Query, ReadQuery(operation), null, false),
            VsoiNames.GetDataOperation => ReadGetDataOperation(operation),
            var other => throw SoapFaultException.Client($"unknown operation '{other}'; VSOi offers Query and GetData"),
        };
    }

    /// <summary>Reads a Query operation element (wrapped in <c>body</c> or not).</summary>
    public static QueryRequest ReadQuery(XElement operation)
    {
        var request = Child(operation, "body") ?? operation;
        var block = Child(request, "block") ?? throw SoapFaultException.Client("the Query has no block: send body/block with at least time/start and time/end");
        return new QueryRequest(ReadBlock(block), Text(request, "version"));
    }

    /// <summary>Reads a QueryRequestBlock element.</summary>
    public static QueryRequestBlock ReadBlock(XElement block)
    {
        var known = new HashSet<string>(StringComparer.Ordinal)
        {
            "time", "provider", "source", "instrument", "physobs", "wave", "extent", "field", "pixels", "level", "resolution",
            "detector", "filter", "sample", "quicklook", "pscale", "pixelscale",
        };
        var extras = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in block.Elements().Where(e => !known.Contains(e.Name.LocalName)))
            if (Value(e) is { } v) extras.TryAdd(e.Name.LocalName, v);
        var time = Child(block, "time");
        var wave = Child(block, "wave");
        var extent = Child(block, "extent");
        var field = Child(block, "field");
        return new QueryRequestBlock
        {
            Time = time is null ? null : new VsoTime(Text(time, "start"), Text(time, "end"), Text(time, "near")),
            Provider = Text(block, "provider"),
            Source = Text(block, "source"),
            Instrument = Text(block, "instrument"),
            Physobs = Text(block, "physobs"),
            Wave = wave is null ? null : ReadWave(wave),
            Extent = extent is null ? null : ReadExtent(extent),
            Field = field is null ? null : new VsoField(Strings(field, "fielditem").Concat(Children(field, "item").Select(Value).OfType<string>()).ToList()),
            Pixels = Text(block, "pixels"),
            Level = Text(block, "level"),
            Resolution = Text(block, "resolution"),
            Detector = Text(block, "detector"),
            Filter = Text(block, "filter"),
            Sample = Text(block, "sample"),
            Quicklook = Text(block, "quicklook"),
            PScale = Text(block, "pscale") ?? Text(block, "pixelscale"),
            Extras = extras,
        };
    }

    internal static VsoWave? ReadWave(XElement wave)
    {
        var w = new VsoWave(Text(wave, "wavemin"), Text(wave, "wavemax"), Text(wave, "waveunit"), Text(wave, "wavetype"));
        return w is { WaveMin: null, WaveMax: null, WaveUnit: null, WaveType: null } ? null : w;
    }

    internal static VsoExtent? ReadExtent(XElement extent)
    {
        var e = new VsoExtent(Text(extent, "x"), Text(extent, "y"), Text(extent, "width"), Text(extent, "length"), Text(extent, "type"));
        return e is { X: null, Y: null, Width: null, Length: null, Type: null } ? null : e;
    }

    private static VsoiRequest ReadGetDataOperation(XElement operation)
    {
        // zeep: GetData/body/{version?, request/{method, info, datacontainer}}
        // IDL:  GetData/request/{version, request/{data, method, info}}
        var outer = Child(operation, "body") ?? Child(operation, "request")
            ?? throw SoapFaultException.Client("the GetData has no body: send body/request/datacontainer");
        var inner = Child(outer, "request")
            ?? throw SoapFaultException.Client("the GetData has no request element (body/request)");
        var encoded = Child(inner, "datacontainer") is null && Child(inner, "data") is not null;
        var request = new GetDataRequest(ReadMethods(Child(inner, "method")), ReadInfo(Child(inner, "info")),
            encoded ? ReadEncodedData(inner) : ReadDataContainer(Child(inner, "datacontainer")));
        if (request.DataContainer is null || request.DataContainer.Items.Count == 0)
            throw SoapFaultException.Client("the GetData request names no files: send datacontainer/datarequestitem with provider and fileiditem/fileid");
        return new VsoiRequest(VsoiOperation.GetData, null, new VSOGetDataRequest(request, Text(outer, "version")), encoded);
    }

    private static MethodItem? ReadMethods(XElement? method)
    {
        if (method is null) return null;
        var types = Children(method, "methodtype").Select(Value).OfType<string>().ToList();
        if (types.Count == 0) types = ArrayMembers(method).Select(Value).OfType<string>().ToList();
        return types.Count == 0 ? null : new MethodItem(types);
    }

    private static Info? ReadInfo(XElement? info) => info is null ? null : new Info
    {
        Email = Text(info, "email"), Host = Text(info, "host"), User = Text(info, "user"), Directory = Text(info, "directory"),
        Password = Text(info, "password"), Address = Text(info, "address"), Required = Text(info, "required"), Site = Text(info, "site"),
    };

    private static DataContainer? ReadDataContainer(XElement? container)
    {
        if (container is null) return null;
        var items = Children(container, "datarequestitem").Select(item =>
        {
            var provider = Text(item, "provider") ?? throw SoapFaultException.Client("a datarequestitem has no provider");
            var ids = Children(item, "fileiditem").SelectMany(f => Children(f, "fileid")).Select(Value).OfType<string>().ToList();
            return new DataRequestItem(provider, ids);
        }).ToList();
        return new DataContainer(items);
    }

    /// <summary>IDL's encoded model: <c>data</c> is one DataRequest {provider, fileid[]} or an array of them.</summary>
    private static DataContainer ReadEncodedData(XElement request)
    {
        var items = new List<DataRequestItem>();
        foreach (var entry in Children(request, "data").SelectMany(ArrayMembers))
        {
            var provider = Text(entry, "provider") ?? throw SoapFaultException.Client("a data entry has no provider");
            items.Add(new DataRequestItem(provider, Strings(entry, "fileid")));
        }
        return new DataContainer(items);
    }
}
