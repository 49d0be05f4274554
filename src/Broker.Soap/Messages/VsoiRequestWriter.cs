using System.Xml;
using Broker.Soap.Contracts;
using Broker.Soap.Envelope;
using static Broker.Soap.Messages.XmlOut;

namespace Broker.Soap.Messages;

/// <summary>Writes VSOi requests the way zeep does: <c>VSO:Query/body</c>, unqualified children in WSDL order.</summary>
public static class VsoiRequestWriter
{
    public static byte[] QueryEnvelope(QueryRequest request) => SoapEnvelopeWriter.Write(w => WriteQuery(w, request));

    public static byte[] GetDataEnvelope(VSOGetDataRequest request) => SoapEnvelopeWriter.Write(w => WriteGetData(w, request));

    public static void WriteQuery(XmlWriter w, QueryRequest request)
    {
        w.WriteStartElement("VSO", VsoiNames.QueryOperation, VsoiNames.Namespace);
        w.WriteStartElement("body");
        Optional(w, "version", request.Version);
        var b = request.Block;
        w.WriteStartElement("block");
        if (b.Time is { } time) VsoiResponseWriter.WriteTime(w, time);
        Optional(w, "provider", b.Provider);
        Optional(w, "source", b.Source);
        Optional(w, "instrument", b.Instrument);
        Optional(w, "physobs", b.Physobs);
        if (b.Wave is { } wave) VsoiResponseWriter.WriteWave(w, wave);
        if (b.Extent is { } extent) VsoiResponseWriter.WriteExtent(w, extent);
        if (b.Field is { } field) ListElement(w, "field", "fielditem", field.FieldItems);
        Optional(w, "pixels", b.Pixels);
        Optional(w, "level", b.Level);
        Optional(w, "resolution", b.Resolution);
        Optional(w, "detector", b.Detector);
        Optional(w, "filter", b.Filter);
        Optional(w, "sample", b.Sample);
        Optional(w, "quicklook", b.Quicklook);
        Optional(w, "pscale", b.PScale);
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
    }

    public static void WriteGetData(XmlWriter w, VSOGetDataRequest request)
    {
        w.WriteStartElement("VSO", VsoiNames.GetDataOperation, VsoiNames.Namespace);
        w.WriteStartElement("body");
        Optional(w, "version", request.Version);
        w.WriteStartElement("request");
        var r = request.Request;
        if (r.Method is { } method) VsoiResponseWriter.WriteMethod(w, method);
        if (r.Info is { } info)
        {
            w.WriteStartElement("info");
            w.WriteElementString("email", Clean(info.Email ?? ""));
            Optional(w, "host", info.Host);
            Optional(w, "user", info.User);
            Optional(w, "directory", info.Directory);
            Optional(w, "password", info.Password);
            Optional(w, "address", info.Address);
            Optional(w, "required", info.Required);
            Optional(w, "site", info.Site);
            w.WriteEndElement();
        }
        if (r.DataContainer is { } container)
        {
            w.WriteStartElement("datacontainer");
            foreach (var item in container.Items)
            {
                w.WriteStartElement("datarequestitem");
                w.WriteElementString("provider", Clean(item.Provider));
                VsoiResponseWriter.WriteFileIds(w, item.FileIds);
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
    }
}
