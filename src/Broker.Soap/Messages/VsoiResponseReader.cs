using System.Globalization;
using System.Xml.Linq;
using Broker.Soap.Contracts;
using static Broker.Soap.Messages.XmlValues;

namespace Broker.Soap.Messages;

/// <summary>
/// Reads VSOi answers from legacy providers: the wrapper's <c>body</c> (or the wrapper itself), literal
/// sequences or SOAP-encoded arrays of <c>item</c>s, children in any order and any VSOi-compatible namespace.
/// </summary>
public static class VsoiResponseReader
{
    public static QueryResponse ReadQueryResponse(XElement content)
    {
        var body = Child(content, "body") ?? content;
        var items = Children(body, "provideritem").Concat(Children(body, "item")).Select(ReadProvider).ToList();
        return new QueryResponse(items);
    }

    private static ProviderQueryResponse ReadProvider(XElement p)
    {
        var record = Child(p, "record");
        var blocks = record is null ? [] : Children(record, "recorditem").Concat(Children(record, "item")).Select(ReadBlock).ToList();
        return new ProviderQueryResponse
        {
            Version = Text(p, "version") ?? "1",
            Provider = Text(p, "provider"),
            NoOfRecordsFound = Long(Text(p, "no_of_records_found")),
            NoOfRecordsReturned = Long(Text(p, "no_of_records_returned")),
            Records = blocks,
            Error = Text(p, "error"),
            Debug = Text(p, "debug"),
            Status = Text(p, "status"),
        };
    }

    private static QueryResponseBlock ReadBlock(XElement r)
    {
        var time = Child(r, "time");
        var extra = Child(r, "extra");
        var thumb = Child(extra, "thumbnail");
        return new QueryResponseBlock
        {
            Provider = Text(r, "provider") ?? "",
            Source = Text(r, "source"),
            Instrument = Text(r, "instrument"),
            Physobs = Text(r, "physobs"),
            Detector = Text(r, "detector"),
            Time = new VsoTime(Text(time, "start"), Text(time, "end"), Text(time, "near")),
            Wave = Child(r, "wave") is { } w ? VsoiRequestReader.ReadWave(w) : null,
            Extent = Child(r, "extent") is { } e ? VsoiRequestReader.ReadExtent(e) : null,
            Size = double.TryParse(Text(r, "size"), NumberStyles.Float, CultureInfo.InvariantCulture, out var size) && double.IsFinite(size) ? size : -1,
            Extra = extra is null ? null : new Extra(thumb is null ? null : new Thumbnail(Text(thumb, "hires"), Text(thumb, "lowres")), Text(extra, "flags")),
            // 'info' became a complex type in 2023 (info/required): its text content is kept either way.
            Info = Text(r, "info"),
            DataType = Text(r, "datatype"),
            FileUrl = Text(r, "fileurl"),
            FileId = Text(r, "fileid"),
        };
    }

    public static VSOGetDataResponse ReadGetDataResponse(XElement content)
    {
        var body = Child(content, "body") ?? content;
        var items = Children(body, "getdataresponseitem").Concat(Children(body, "item")).Select(i =>
        {
            var data = Child(i, "getdataitem");
            return new GetDataResponseItem
            {
                Version = Text(i, "version") ?? "1",
                Info = Child(i, "info") is { } info ? Children(info, "infoitem").Select(Value).OfType<string>().ToList() : [],
                Provider = Text(i, "provider"),
                Status = Text(i, "status"),
                Debug = Text(i, "debug"),
                Details = Text(i, "details"),
                GetDataItem = data is null ? null : new GetDataItem(Children(data, "dataitem").Concat(Children(data, "item")).Select(d =>
                    new DataItem(Text(d, "provider") ?? "", Text(d, "url"),
                        Children(d, "fileiditem").SelectMany(f => Children(f, "fileid")).Select(Value).OfType<string>()
                            .Concat(Children(d, "fileid").Select(Value).OfType<string>()).ToList())).ToList()),
                Method = Child(i, "method") is { } m ? new MethodItem(Children(m, "methodtype").Select(Value).OfType<string>().ToList()) : null,
            };
        }).ToList();
        return new VSOGetDataResponse(items);
    }

    private static long? Long(string? text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? (long)d : null;
}
