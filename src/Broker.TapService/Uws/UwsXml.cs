using System.Xml;
using Broker.TapService.Vosi;

namespace Broker.TapService.Uws;

/// <summary>
/// The building blocks of UWS 1.1 documents, shared by the broker's TAP service and the simulated providers: the
/// literal <c>uws:</c> prefix (astroquery compares raw qnames), the root with its namespaces, <c>xsi:nil</c> for
/// unknown values, parameters.
/// </summary>
public static class UwsXml
{
    public const string Ns = "http://www.ivoa.net/xml/UWS/v1.0";
    public const string XLink = "http://www.w3.org/1999/xlink";
    public const string Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    public static void Root(XmlWriter w, string name)
    {
        w.WriteStartElement("uws", name, Ns);
        w.WriteAttributeString("xmlns", "xlink", null, XLink);
        w.WriteAttributeString("xmlns", "xsi", null, Xsi);
        w.WriteAttributeString("version", "1.1");
    }

    public static void Nil(XmlWriter w, string name)
    {
        w.WriteStartElement("uws", name, Ns);
        w.WriteAttributeString("xsi", "nil", Xsi, "true");
        w.WriteEndElement();
    }

    public static void TimeOrNil(XmlWriter w, string name, DateTimeOffset? value)
    {
        if (value is { } t) w.WriteElementString("uws", name, Ns, XmlDocuments.Time(t));
        else Nil(w, name);
    }

    public static void Parameter(XmlWriter w, string name, string value)
    {
        w.WriteStartElement("uws", "parameter", Ns);
        w.WriteAttributeString("id", name);
        w.WriteString(value);
        w.WriteEndElement();
    }
}
