using System.Xml;
using Broker.Simulators.Data;
using Broker.Simulators.Uws;

namespace Broker.Simulators.Vosi;

/// <summary>VOSI /tables (VODataService 1.1), /capabilities (TAPRegExt) and /availability documents.</summary>
internal static class VosiDocuments
{
    private const string TablesNs = "http://www.ivoa.net/xml/VOSITables/v1.0";
    private const string VsNs = "http://www.ivoa.net/xml/VODataService/v1.1";
    private const string XsiNs = "http://www.w3.org/2001/XMLSchema-instance";
    private const string CapNs = "http://www.ivoa.net/xml/VOSICapabilities/v1.0";
    private const string TrNs = "http://www.ivoa.net/xml/TAPRegExt/v1.0";
    private const string AvailNs = "http://www.ivoa.net/xml/VOSIAvailability/v1.0";

    /// <summary>The tableset; <paramref name="missing"/> (table, column) is left out to simulate broken metadata.</summary>
    public static byte[] Tables(SimCatalog catalog, (string Table, string Column)? missing, string? onlyTable = null) => UwsXml.Write(w =>
    {
        if (onlyTable is not null)
        {
            var t = catalog.Find(onlyTable)!;
            w.WriteStartElement("vosi", "table", TablesNs);
            w.WriteAttributeString("xmlns", "vs", null, VsNs);
            w.WriteAttributeString("xmlns", "xsi", null, XsiNs);
            WriteTableBody(w, t, missing);
            w.WriteEndElement();
            return;
        }

        w.WriteStartElement("vosi", "tableset", TablesNs);
        w.WriteAttributeString("xmlns", "vs", null, VsNs);
        w.WriteAttributeString("xmlns", "xsi", null, XsiNs);
        foreach (var schema in catalog.Tables.GroupBy(t => t.Schema))
        {
            w.WriteStartElement("schema");
            w.WriteElementString("name", schema.Key);
            foreach (var t in schema)
            {
                w.WriteStartElement("table");
                w.WriteAttributeString("type", t.Name.StartsWith("v_", StringComparison.Ordinal) ? "view" : "base_table");
                WriteTableBody(w, t, missing);
                w.WriteEndElement();
            }

            w.WriteEndElement();
        }

        w.WriteEndElement();
    });

    private static void WriteTableBody(XmlWriter w, SimTable t, (string Table, string Column)? missing)
    {
        w.WriteElementString("name", t.QualifiedName);
        w.WriteElementString("description", t.Description);
        foreach (var c in t.Columns)
        {
            if (missing is { } m && c.Name.Equals(m.Column, StringComparison.OrdinalIgnoreCase)
                && (m.Table.Length == 0 || m.Table.Equals(t.Name, StringComparison.OrdinalIgnoreCase) || m.Table.Equals(t.QualifiedName, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            w.WriteStartElement("column");
            w.WriteAttributeString("std", "true");
            w.WriteElementString("name", c.Name);
            if (c.Description is not null) w.WriteElementString("description", c.Description);
            if (c.Unit is not null) w.WriteElementString("unit", c.Unit);
            if (c.Ucd is not null) w.WriteElementString("ucd", c.Ucd);
            w.WriteStartElement("dataType");
            w.WriteAttributeString("xsi", "type", XsiNs, "vs:VOTableType");
            if (c.Arraysize is not null) w.WriteAttributeString("arraysize", c.Arraysize);
            if (c.Xtype is not null) w.WriteAttributeString("extendedType", c.Xtype);
            w.WriteString(c.Datatype);
            w.WriteEndElement();
            if (c.Name == t.TimeColumn) w.WriteElementString("flag", "indexed");
            w.WriteEndElement();
        }
    }

    public static byte[] Capabilities(string tapBase) => UwsXml.Write(w =>
    {
        w.WriteStartElement("vosi", "capabilities", CapNs);
        w.WriteAttributeString("xmlns", "xsi", null, XsiNs);
        w.WriteAttributeString("xmlns", "vs", null, VsNs);
        w.WriteAttributeString("xmlns", "tr", null, TrNs);

        w.WriteStartElement("capability");
        w.WriteAttributeString("standardID", "ivo://ivoa.net/std/TAP");
        w.WriteAttributeString("xsi", "type", XsiNs, "tr:TableAccess");
        Interface(w, "vs:ParamHTTP", tapBase, "1.1", role: "std");
        w.WriteStartElement("language");
        w.WriteElementString("name", "ADQL");
        w.WriteStartElement("version");
        w.WriteAttributeString("ivo-id", "ivo://ivoa.net/std/ADQL#v2.0");
        w.WriteString("2.0");
        w.WriteEndElement();
        w.WriteElementString("description", "ADQL 2.0 evaluated in memory by the broker simulator");
        w.WriteEndElement();
        OutputFormat(w, "application/x-votable+xml", "ivo://ivoa.net/std/TAPRegExt#output-votable-td", "votable");
        OutputFormat(w, "application/x-votable+xml;serialization=BINARY2", "ivo://ivoa.net/std/TAPRegExt#output-votable-binary2", "votable/b2");
        OutputFormat(w, "text/csv;header=present", null, "csv");
        OutputFormat(w, "application/json", null, "json");
        w.WriteStartElement("outputLimit");
        w.WriteStartElement("default");
        w.WriteAttributeString("unit", "row");
        w.WriteString("100000");
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();

        Simple(w, "ivo://ivoa.net/std/VOSI#capabilities", tapBase + "/capabilities");
        Simple(w, "ivo://ivoa.net/std/VOSI#availability", tapBase + "/availability");
        Simple(w, "ivo://ivoa.net/std/VOSI#tables-1.1", tapBase + "/tables", "1.1");
        w.WriteEndElement();
    });

    public static byte[] Availability(bool available, DateTime upSince, string? note) => UwsXml.Write(w =>
    {
        w.WriteStartElement("vosi", "availability", AvailNs);
        w.WriteElementString("vosi", "available", AvailNs, available ? "true" : "false");
        w.WriteElementString("vosi", "upSince", AvailNs, UwsXml.Time(upSince));
        if (note is not null) w.WriteElementString("vosi", "note", AvailNs, note);
        w.WriteEndElement();
    });

    private static void Simple(XmlWriter w, string standardId, string url, string? version = null)
    {
        w.WriteStartElement("capability");
        w.WriteAttributeString("standardID", standardId);
        Interface(w, "vs:ParamHTTP", url, version, role: null);
        w.WriteEndElement();
    }

    private static void Interface(XmlWriter w, string type, string url, string? version, string? role)
    {
        w.WriteStartElement("interface");
        w.WriteAttributeString("xsi", "type", XsiNs, type);
        if (role is not null) w.WriteAttributeString("role", role);
        if (version is not null) w.WriteAttributeString("version", version);
        w.WriteStartElement("accessURL");
        w.WriteAttributeString("use", "base");
        w.WriteString(url);
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void OutputFormat(XmlWriter w, string mime, string? ivoId, string alias)
    {
        w.WriteStartElement("outputFormat");
        if (ivoId is not null) w.WriteAttributeString("ivo-id", ivoId);
        w.WriteElementString("mime", mime);
        w.WriteElementString("alias", alias);
        w.WriteEndElement();
    }
}
