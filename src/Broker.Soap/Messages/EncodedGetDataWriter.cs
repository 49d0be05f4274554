using System.Xml;
using Broker.Soap.Contracts;
using static Broker.Soap.Messages.XmlOut;

namespace Broker.Soap.Messages;

/// <summary>
/// IDL's older encoded GetData answer: an array of ProviderGetDataResponse {version, provider, data[]}, each
/// data entry {provider, fileid, url, details}. IDL reads the first <c>status</c> in the whole document and
/// throws the answer away when it is not empty, so no status element is written; a failure goes to
/// <c>details</c>, which IDL prints next to the provider.
/// </summary>
internal static class EncodedGetDataWriter
{
    public static void Write(XmlWriter w, GetDataAnswer answer)
    {
        w.WriteStartElement("VSO", "GetDataResponse", VsoiNames.Namespace);
        w.WriteStartElement("body");
        ArrayType(w, "VSO:ProviderGetDataResponse", answer.Providers.Count);
        foreach (var p in answer.Providers)
        {
            w.WriteStartElement("item");
            w.WriteElementString("version", "1");
            Optional(w, "provider", p.Provider);
            w.WriteStartElement("data");
            ArrayType(w, "VSO:Data", p.Files.Count);
            foreach (var f in p.Files)
            {
                w.WriteStartElement("item");
                w.WriteElementString("provider", Clean(p.Provider));
                w.WriteElementString("fileid", Clean(f.FileId));
                w.WriteElementString("url", Clean(f.Url ?? ""));
                if (f.Url is null) w.WriteElementString("details", Clean(f.Detail ?? p.Details ?? p.Status));
                w.WriteEndElement();
            }
            w.WriteEndElement();
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void ArrayType(XmlWriter w, string type, int count)
    {
        w.WriteAttributeString("SOAP-ENC", "arrayType", VsoiNames.SoapEncoding, $"{type}[{count}]");
        w.WriteAttributeString("xsi", "type", VsoiNames.XsiNamespace, "SOAP-ENC:Array");
    }
}
