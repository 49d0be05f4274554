using System.Xml;

namespace Broker.TapService.Vosi;

/// <summary>
/// The building blocks of VOSI capabilities (VOResource interfaces, TAPRegExt output formats), shared by the broker's
/// TAP service and the simulated providers.
/// </summary>
public static class VosiXml
{
    public const string TablesNs = "http://www.ivoa.net/xml/VOSITables/v1.0";
    public const string VsNs = "http://www.ivoa.net/xml/VODataService/v1.1";
    public const string XsiNs = "http://www.w3.org/2001/XMLSchema-instance";
    public const string CapNs = "http://www.ivoa.net/xml/VOSICapabilities/v1.0";
    public const string TrNs = "http://www.ivoa.net/xml/TAPRegExt/v1.0";
    public const string AvailNs = "http://www.ivoa.net/xml/VOSIAvailability/v1.0";

    /// <summary>A capability with one ParamHTTP interface (the VOSI resources).</summary>
    public static void Capability(XmlWriter w, string standardId, string url, string? version = null)
    {
        w.WriteStartElement("capability");
        w.WriteAttributeString("standardID", standardId);
        Interface(w, url, version, role: null);
        w.WriteEndElement();
    }

    public static void Interface(XmlWriter w, string url, string? version, string? role)
    {
        w.WriteStartElement("interface");
        w.WriteAttributeString("xsi", "type", XsiNs, "vs:ParamHTTP");
        if (role is not null) w.WriteAttributeString("role", role);
        if (version is not null) w.WriteAttributeString("version", version);
        w.WriteStartElement("accessURL");
        w.WriteAttributeString("use", "base");
        w.WriteString(url);
        w.WriteEndElement();
        w.WriteEndElement();
    }

    public static void OutputFormat(XmlWriter w, string mime, string? ivoId, string alias)
    {
        w.WriteStartElement("outputFormat");
        if (ivoId is not null) w.WriteAttributeString("ivo-id", ivoId);
        w.WriteElementString("mime", mime);
        w.WriteElementString("alias", alias);
        w.WriteEndElement();
    }

    /// <summary>The three VOSI capabilities of a TAP service (capabilities, availability, tables 1.1).</summary>
    public static void VosiCapabilities(XmlWriter w, string tapUrl)
    {
        Capability(w, "ivo://ivoa.net/std/VOSI#capabilities", tapUrl + "/capabilities");
        Capability(w, "ivo://ivoa.net/std/VOSI#availability", tapUrl + "/availability");
        Capability(w, "ivo://ivoa.net/std/VOSI#tables-1.1", tapUrl + "/tables", "1.1");
    }

    /// <summary>A VODataService column (the elements in the schema's order); <paramref name="attributes"/> adds extra attributes.</summary>
    public static void Column(XmlWriter w, string name, string datatype, string? arraysize, string? xtype, string? unit, string? ucd,
        string? utype, string? description, bool std, IEnumerable<string> flags, Action<XmlWriter>? attributes = null)
    {
        w.WriteStartElement("column");
        if (std) w.WriteAttributeString("std", "true");
        attributes?.Invoke(w);
        w.WriteElementString("name", name);
        if (description is not null) w.WriteElementString("description", description);
        if (unit is not null) w.WriteElementString("unit", unit);
        if (ucd is not null) w.WriteElementString("ucd", ucd);
        if (utype is not null) w.WriteElementString("utype", utype);
        w.WriteStartElement("dataType");
        w.WriteAttributeString("xsi", "type", XsiNs, "vs:VOTableType");
        if (arraysize is not null) w.WriteAttributeString("arraysize", arraysize);
        if (xtype is not null) w.WriteAttributeString("extendedType", xtype);
        w.WriteString(datatype);
        w.WriteEndElement();
        foreach (var flag in flags) w.WriteElementString("flag", flag);
        w.WriteEndElement();
    }
}
