using System.Xml;
using Broker.TapService.Vosi;
using static Broker.TapService.Vosi.VosiXml;
using Broker.Simulators.Data;
using Broker.Simulators.Uws;

namespace Broker.Simulators.Vosi;

/// <summary>VOSI /tables (VODataService 1.1), /capabilities (TAPRegExt) and /availability documents.</summary>
internal static class VosiDocuments
{

    /// <summary>The tableset; <paramref name="missing"/> (table, column) is left out to simulate broken metadata.</summary>
    public static byte[] Tables(SimCatalog catalog, (string Table, string Column)? missing, string? onlyTable = null) => XmlDocuments.Write(w =>
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

            Column(w, c.Name, c.Datatype, c.Arraysize, c.Xtype, c.Unit, c.Ucd, utype: null, c.Description, std: true,
                c.Name == t.TimeColumn ? ["indexed"] : []);
        }
    }

    public static byte[] Capabilities(string tapBase) => XmlDocuments.Write(w =>
    {
        w.WriteStartElement("vosi", "capabilities", CapNs);
        w.WriteAttributeString("xmlns", "xsi", null, XsiNs);
        w.WriteAttributeString("xmlns", "vs", null, VsNs);
        w.WriteAttributeString("xmlns", "tr", null, TrNs);

        w.WriteStartElement("capability");
        w.WriteAttributeString("standardID", "ivo://ivoa.net/std/TAP");
        w.WriteAttributeString("xsi", "type", XsiNs, "tr:TableAccess");
        Interface(w, tapBase, "1.1", role: "std");
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

        VosiCapabilities(w, tapBase);
        w.WriteEndElement();
    });

    public static byte[] Availability(bool available, DateTime upSince, string? note) =>
        Broker.TapService.Vosi.VosiDocuments.Availability(available, new DateTimeOffset(upSince.ToUniversalTime(), TimeSpan.Zero), note);
}
