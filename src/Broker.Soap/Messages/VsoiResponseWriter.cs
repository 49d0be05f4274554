using System.Xml;
using Broker.Soap.Contracts;
using Broker.Soap.Envelope;
using static Broker.Soap.Messages.XmlOut;

namespace Broker.Soap.Messages;

/// <summary>
/// Writes VSOi answers as sunpy 4.1.2 / zeep and IDL need them: wrapper <c>VSO:QueryResponse</c> /
/// <c>VSO:GetDataResponse</c> holding an unqualified <c>body</c>, every child unqualified, only elements the
/// served WSDL declares, a numeric size on every record, and no whitespace between elements.
/// </summary>
public static class VsoiResponseWriter
{
    /// <summary>A complete envelope holding a QueryResponse.</summary>
    public static byte[] QueryEnvelope(QueryResponse response) => SoapEnvelopeWriter.Write(w => WriteQueryResponse(w, response));

    /// <summary>A complete envelope holding a VSOGetDataResponse.</summary>
    public static byte[] GetDataEnvelope(VSOGetDataResponse response) => SoapEnvelopeWriter.Write(w => WriteGetDataResponse(w, response));

    /// <summary>A complete envelope holding a GetData answer in the new shape, or in IDL's old encoded one.</summary>
    public static byte[] GetDataEnvelope(GetDataAnswer answer, bool encodedModel, IReadOnlyList<string>? info = null) =>
        encodedModel
            ? SoapEnvelopeWriter.Write(w => EncodedGetDataWriter.Write(w, answer), declareEncoding: true)
            : GetDataEnvelope(answer.ToResponse(info));

    public static void WriteQueryResponse(XmlWriter w, QueryResponse response)
    {
        w.WriteStartElement("VSO", "QueryResponse", VsoiNames.Namespace);
        w.WriteStartElement("body");
        foreach (var item in response.ProviderItems)
            WriteProviderItem(w, item);
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void WriteProviderItem(XmlWriter w, ProviderQueryResponse p)
    {
        w.WriteStartElement("provideritem");
        w.WriteElementString("version", p.Version);
        Optional(w, "provider", p.Provider);
        Optional(w, "no_of_records_found", p.NoOfRecordsFound);
        Optional(w, "no_of_records_returned", p.NoOfRecordsReturned);
        w.WriteStartElement("record");
        foreach (var r in p.Records) WriteRecord(w, r);
        w.WriteEndElement();
        Optional(w, "error", p.Error);
        Optional(w, "debug", p.Debug);
        Optional(w, "status", p.Status);
        w.WriteEndElement();
    }

    /// <summary>Writes one recorditem (QueryResponseBlock).</summary>
    public static void WriteRecord(XmlWriter w, QueryResponseBlock r, string elementName = "recorditem")
    {
        w.WriteStartElement(elementName);
        w.WriteElementString("provider", Clean(r.Provider));
        Optional(w, "source", r.Source);
        Optional(w, "instrument", r.Instrument);
        Optional(w, "physobs", r.Physobs);
        WriteTime(w, r.Time);
        if (r.Wave is { } wave) WriteWave(w, wave);
        if (r.Extent is { } extent) WriteExtent(w, extent);
        w.WriteElementString("size", Number(r.Size));
        if (r.Extra is { } extra)
        {
            w.WriteStartElement("extra");
            if (extra.Thumbnail is { } t)
            {
                w.WriteStartElement("thumbnail");
                Optional(w, "hires", t.Hires);
                Optional(w, "lowres", t.Lowres);
                w.WriteEndElement();
            }
            Optional(w, "flags", extra.Flags);
            w.WriteEndElement();
        }
        Optional(w, "info", r.Info);
        Optional(w, "datatype", r.DataType);
        Optional(w, "fileurl", r.FileUrl);
        Optional(w, "fileid", r.FileId);
        w.WriteEndElement();
    }

    internal static void WriteTime(XmlWriter w, VsoTime time)
    {
        w.WriteStartElement("time");
        w.WriteElementString("start", Clean(time.Start ?? ""));
        w.WriteElementString("end", Clean(time.End ?? ""));
        Optional(w, "near", time.Near);
        w.WriteEndElement();
    }

    internal static void WriteWave(XmlWriter w, VsoWave wave)
    {
        w.WriteStartElement("wave");
        w.WriteElementString("wavemin", Clean(wave.WaveMin ?? ""));
        w.WriteElementString("wavemax", Clean(wave.WaveMax ?? ""));
        w.WriteElementString("waveunit", Clean(wave.WaveUnit ?? "Angstrom"));
        Optional(w, "wavetype", wave.WaveType);
        w.WriteEndElement();
    }

    internal static void WriteExtent(XmlWriter w, VsoExtent e)
    {
        w.WriteStartElement("extent");
        Optional(w, "x", e.X);
        Optional(w, "y", e.Y);
        Optional(w, "width", e.Width);
        Optional(w, "length", e.Length);
        Optional(w, "type", e.Type);
        w.WriteEndElement();
    }

    public static void WriteGetDataResponse(XmlWriter w, VSOGetDataResponse response)
    {
        w.WriteStartElement("VSO", "GetDataResponse", VsoiNames.Namespace);
        w.WriteStartElement("body");
        foreach (var item in response.Items)
        {
            w.WriteStartElement("getdataresponseitem");
            w.WriteElementString("version", item.Version);
            if (item.Info.Count > 0) ListElement(w, "info", "infoitem", item.Info);
            Optional(w, "provider", item.Provider);
            Optional(w, "status", item.Status);
            Optional(w, "debug", item.Debug);
            Optional(w, "details", item.Details);
            if (item.GetDataItem is { } data)
            {
                w.WriteStartElement("getdataitem");
                foreach (var d in data.Items)
                {
                    w.WriteStartElement("dataitem");
                    w.WriteElementString("provider", Clean(d.Provider));
                    Optional(w, "url", d.Url);
                    WriteFileIds(w, d.FileIds);
                    w.WriteEndElement();
                }
                w.WriteEndElement();
            }
            if (item.Method is { } method) WriteMethod(w, method);
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndElement();
    }

    internal static void WriteFileIds(XmlWriter w, IReadOnlyList<string> fileIds) => ListElement(w, "fileiditem", "fileid", fileIds);

    internal static void WriteMethod(XmlWriter w, MethodItem method) => ListElement(w, "method", "methodtype", method.MethodTypes);
}
