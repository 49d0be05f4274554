using System.Xml;
using static Broker.TapService.Vosi.VosiXml;
using Broker.TapService.Schema;

namespace Broker.TapService.Vosi;

/// <summary>VOSI /capabilities (TAPRegExt 1.0), /availability and /tables (VODataService 1.1, generated from TAP_SCHEMA's description).</summary>
public static class VosiDocuments
{
    private const string EsaNs = "http://esa.int/xml/EsaTapPlus";

    /// <summary>How much of each table /tables describes.</summary>
    public enum Detail { Full, Min }

    /// <summary>
    /// The tableset (or one table when <paramref name="only"/> is given). <paramref name="esaFlags"/> adds the
    /// <c>esatapplus:</c> attributes astroquery's TapPlus needs (only on TAP+ requests: taplint rejects them).
    /// </summary>
    public static byte[] Tables(TapMetadata metadata, Detail detail, TapTable? only = null, bool esaFlags = false, Func<TapTable, bool>? filter = null) =>
        XmlDocuments.Write(w =>
        {
            if (only is not null)
            {
                w.WriteStartElement("vosi", "table", TablesNs);
                Namespaces(w, esaFlags);
                TableBody(w, only, Detail.Full, esaFlags);
                w.WriteEndElement();
                return;
            }
            w.WriteStartElement("vosi", "tableset", TablesNs);
            Namespaces(w, esaFlags);
            foreach (var schema in metadata.Schemas)
            {
                var tables = metadata.Tables.Where(t => t.Schema == schema.Name && (filter?.Invoke(t) ?? true)).ToList();
                if (tables.Count == 0) continue;
                w.WriteStartElement("schema");
                w.WriteElementString("name", schema.Name);
                w.WriteElementString("description", schema.Description);
                foreach (var t in tables)
                {
                    w.WriteStartElement("table");
                    w.WriteAttributeString("type", "output");
                    if (esaFlags) w.WriteAttributeString("esatapplus", "size_bytes", EsaNs, "0");
                    TableBody(w, t, detail, esaFlags);
                    w.WriteEndElement();
                }
                w.WriteEndElement();
            }
            w.WriteEndElement();
        });

    private static void Namespaces(XmlWriter w, bool esaFlags)
    {
        w.WriteAttributeString("xmlns", "vs", null, VsNs);
        w.WriteAttributeString("xmlns", "xsi", null, XsiNs);
        if (esaFlags) w.WriteAttributeString("xmlns", "esatapplus", null, EsaNs);
    }

    private static void TableBody(XmlWriter w, TapTable t, Detail detail, bool esaFlags)
    {
        w.WriteElementString("name", t.Name);
        w.WriteElementString("description", t.Description);
        if (t.Utype is not null) w.WriteElementString("utype", t.Utype);
        if (detail == Detail.Min) return;
        foreach (var c in t.Columns)
        {
            var flags = new List<string>(2);
            if (c.Indexed) flags.Add("indexed");
            if (c.Principal) flags.Add("principal");
            Column(w, c.PublishedName, c.Datatype, c.Arraysize, c.Xtype, c.Unit, c.Ucd, c.Utype, c.Description, c.Std, flags,
                esaFlags ? x => x.WriteAttributeString("esatapplus", "flags", EsaNs, "0") : null);
        }
        foreach (var key in TapMetadata.Default.Keys.Where(k => k.FromTable == t.Name))
        {
            w.WriteStartElement("foreignKey");
            w.WriteElementString("targetTable", key.TargetTable);
            w.WriteStartElement("fkColumn");
            w.WriteElementString("fromColumn", key.FromColumn);
            w.WriteElementString("targetColumn", key.TargetColumn);
            w.WriteEndElement();
            w.WriteElementString("description", key.Description);
            w.WriteEndElement();
        }
    }

    /// <summary>The capabilities: TAP 1.1 (ADQL 2.0/2.1, output formats, limits, ObsCore data model), VOSI, DALI examples, DataLink.</summary>
    public static byte[] Capabilities(string tapUrl, long defaultMaxRec, long hardMaxRec) => XmlDocuments.Write(w =>
    {
        w.WriteStartElement("vosi", "capabilities", CapNs);
        w.WriteAttributeString("xmlns", "xsi", null, XsiNs);
        w.WriteAttributeString("xmlns", "vs", null, VsNs);
        w.WriteAttributeString("xmlns", "tr", null, TrNs);
        w.WriteAttributeString("xmlns", "vr", null, "http://www.ivoa.net/xml/VOResource/v1.0");

        w.WriteStartElement("capability");
        w.WriteAttributeString("standardID", "ivo://ivoa.net/std/TAP");
        w.WriteAttributeString("xsi", "type", XsiNs, "tr:TableAccess");
        Interface(w, tapUrl, "1.1", role: "std");
        w.WriteStartElement("dataModel");
        w.WriteAttributeString("ivo-id", "ivo://ivoa.net/std/ObsCore#core-1.1");
        w.WriteString("ObsCore-1.1");
        w.WriteEndElement();
        w.WriteStartElement("language");
        w.WriteElementString("name", "ADQL");
        foreach (var (version, id) in new[] { ("2.0", "ivo://ivoa.net/std/ADQL#v2.0"), ("2.1", "ivo://ivoa.net/std/ADQL#v2.1") })
        {
            w.WriteStartElement("version");
            w.WriteAttributeString("ivo-id", id);
            w.WriteString(version);
            w.WriteEndElement();
        }
        w.WriteElementString("description",
            "ADQL over the federated records: time, provider, source, instrument, detector, physobs, level and wavelength " +
            "conditions are passed to the providers, everything else is evaluated by the broker on the merged rows. Geometry " +
            "(ICRS, degrees) is evaluated on the merged rows on the sky columns s_ra, s_dec and s_region; it never narrows the " +
            "search, so a query still needs a bounded time range.");
        w.WriteStartElement("languageFeatures");
        w.WriteAttributeString("type", "ivo://ivoa.net/std/TAPRegExt#features-adqlgeo");
        foreach (var f in new[] { "POINT", "CIRCLE", "BOX", "POLYGON", "REGION", "CONTAINS", "INTERSECTS", "AREA", "CENTROID", "COORD1", "COORD2", "COORDSYS", "DISTANCE" })
            Feature(w, f);
        w.WriteEndElement();
        w.WriteStartElement("languageFeatures");
        w.WriteAttributeString("type", "ivo://ivoa.net/std/TAPRegExt#features-adql-string");
        foreach (var f in new[] { "LOWER", "UPPER", "ILIKE" }) Feature(w, f);
        w.WriteEndElement();
        w.WriteStartElement("languageFeatures");
        w.WriteAttributeString("type", "ivo://ivoa.net/std/TAPRegExt#features-adql-sets");
        Feature(w, "OFFSET");
        w.WriteEndElement();
        w.WriteStartElement("languageFeatures");
        w.WriteAttributeString("type", "ivo://ivoa.net/std/TAPRegExt#features-adql-type");
        Feature(w, "CAST");
        w.WriteEndElement();
        w.WriteEndElement();
        OutputFormat(w, "application/x-votable+xml", "ivo://ivoa.net/std/TAPRegExt#output-votable-td", "votable");
        OutputFormat(w, "application/x-votable+xml;serialization=BINARY2", "ivo://ivoa.net/std/TAPRegExt#output-votable-binary2", "votable/b2");
        OutputFormat(w, "application/x-votable+xml;serialization=BINARY", "ivo://ivoa.net/std/TAPRegExt#output-votable-binary", "votable/b");
        OutputFormat(w, "text/csv;header=present", null, "csv");
        OutputFormat(w, "text/tab-separated-values", null, "tsv");
        OutputFormat(w, "application/json", null, "json");
        w.WriteStartElement("retentionPeriod");
        w.WriteElementString("default", "86400");
        w.WriteEndElement();
        w.WriteStartElement("executionDuration");
        w.WriteElementString("default", "600");
        w.WriteEndElement();
        Limit(w, "outputLimit", defaultMaxRec, hardMaxRec);
        w.WriteEndElement();

        VosiCapabilities(w, tapUrl);
        w.WriteStartElement("capability");
        w.WriteAttributeString("standardID", "ivo://ivoa.net/std/DALI#examples");
        w.WriteStartElement("interface");
        w.WriteAttributeString("xsi", "type", XsiNs, "vr:WebBrowser");
        w.WriteStartElement("accessURL");
        w.WriteAttributeString("use", "full");
        w.WriteString(tapUrl + "/examples");
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
    });

    private static void Feature(XmlWriter w, string form)
    {
        w.WriteStartElement("feature");
        w.WriteElementString("form", form);
        w.WriteEndElement();
    }

    private static void Limit(XmlWriter w, string name, long defaultValue, long hard)
    {
        w.WriteStartElement(name);
        w.WriteStartElement("default");
        w.WriteAttributeString("unit", "row");
        w.WriteString(defaultValue.ToString(System.Globalization.CultureInfo.InvariantCulture));
        w.WriteEndElement();
        w.WriteStartElement("hard");
        w.WriteAttributeString("unit", "row");
        w.WriteString(hard.ToString(System.Globalization.CultureInfo.InvariantCulture));
        w.WriteEndElement();
        w.WriteEndElement();
    }

    public static byte[] Availability(bool available, DateTimeOffset upSince, string? note) => XmlDocuments.Write(w =>
    {
        w.WriteStartElement("vosi", "availability", AvailNs);
        w.WriteElementString("vosi", "available", AvailNs, available ? "true" : "false");
        w.WriteElementString("vosi", "upSince", AvailNs, XmlDocuments.Time(upSince));
        if (note is not null) w.WriteElementString("vosi", "note", AvailNs, note);
        w.WriteEndElement();
    });
}
