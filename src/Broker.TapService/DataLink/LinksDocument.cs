using System.Globalization;
using System.Text;
using System.Xml;
using Broker.VoTable;

namespace Broker.TapService.DataLink;

/// <summary>Writes a DataLink 1.1 {links} response: a VOTable 1.4 with the twelve standard columns in TABLEDATA.</summary>
public static class LinksDocument
{
    /// <summary>The MIME type of a DataLink response (DataLink 1.1 §3.3).</summary>
    public const string ContentType = "application/x-votable+xml;content=datalink";

    /// <summary>The XML ID of the ID column's FIELD: what a service descriptor's PARAM <c>ref</c> names to take the row's id.</summary>
    public const string IdFieldXmlId = "link_id";

    private const string VoTableNs = "http://www.ivoa.net/xml/VOTable/v1.3";

    private static readonly (string Name, string Datatype, string Ucd, string? Unit, string Description)[] Fields =
    [
        ("ID", "char", "meta.id;meta.main", null, "The identifier the links belong to"),
        ("access_url", "char", "meta.ref.url", null, "URL of the linked resource"),
        ("service_def", "char", "meta.ref", null, "Reference to the service descriptor of a service link"),
        ("error_message", "char", "meta.code.error", null, "Why the ID has no links (a DataLink fault)"),
        ("semantics", "char", "meta.code", null, "What the link is, as a term of the IVOA DataLink core vocabulary"),
        ("description", "char", "meta.note", null, "Human-readable description of the link"),
        ("content_type", "char", "meta.code.mime", null, "MIME type of the linked resource"),
        ("content_length", "long", "phys.size;meta.file", "byte", "Size of the linked resource"),
        ("content_qualifier", "char", "meta.code.class", null, "Kind of product behind the link (a term of the IVOA product-type vocabulary)"),
        ("local_semantics", "char", "meta.code", null, "The service's own name for the link"),
        ("link_auth", "char", "meta.code", null, "Whether the link needs authentication (false, optional, true)"),
        ("link_authorized", "boolean", "meta.code", null, "Whether the caller is authorized for the link"),
    ];

    /// <summary>
    /// The document: <paramref name="rows"/> in the results table, then each service descriptor (a
    /// <c>RESOURCE type="meta" utype="adhoc:service"</c> whose <c>ID</c> the rows' service_def name).
    /// </summary>
    public static byte[] Write(IReadOnlyList<LinkRow> rows, IReadOnlyList<VoTableResource>? descriptors = null,
        IReadOnlyList<(string Name, string Value, string Text)>? infos = null)
    {
        using var ms = new MemoryStream();
        using (var w = XmlWriter.Create(ms, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            w.WriteStartDocument();
            w.WriteStartElement("VOTABLE", VoTableNs);
            w.WriteAttributeString("version", "1.4");
            w.WriteStartElement("RESOURCE", VoTableNs);
            w.WriteAttributeString("type", "results");
            Info(w, "standardID", "ivo://ivoa.net/std/DataLink#links-1.1", null);
            foreach (var (name, value, text) in infos ?? []) Info(w, name, value, text);
            w.WriteStartElement("TABLE", VoTableNs);
            foreach (var f in Fields)
            {
                w.WriteStartElement("FIELD", VoTableNs);
                w.WriteAttributeString("name", f.Name);
                if (f.Name == "ID") w.WriteAttributeString("ID", IdFieldXmlId);
                w.WriteAttributeString("datatype", f.Datatype);
                if (f.Datatype == "char") w.WriteAttributeString("arraysize", "*");
                w.WriteAttributeString("ucd", f.Ucd);
                if (f.Unit is not null) w.WriteAttributeString("unit", f.Unit);
                w.WriteElementString("DESCRIPTION", VoTableNs, f.Description);
                w.WriteEndElement();
            }
            w.WriteStartElement("DATA", VoTableNs);
            w.WriteStartElement("TABLEDATA", VoTableNs);
            foreach (var r in rows)
            {
                w.WriteStartElement("TR", VoTableNs);
                foreach (var cell in Cells(r)) w.WriteElementString("TD", VoTableNs, cell ?? string.Empty);
                w.WriteEndElement();
            }
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
            foreach (var d in descriptors ?? []) Descriptor(w, d);
            w.WriteEndElement();
            w.WriteEndDocument();
        }
        return ms.ToArray();
    }

    private static string?[] Cells(LinkRow r) =>
    [
        r.Id, r.AccessUrl, r.ServiceDef, r.ErrorMessage, r.Semantics, r.Description, r.ContentType,
        r.ContentLength?.ToString(CultureInfo.InvariantCulture), r.ContentQualifier, r.LocalSemantics, r.LinkAuth,
        r.LinkAuthorized is { } authorized ? (authorized ? "true" : "false") : null,
    ];

    private static void Descriptor(XmlWriter w, VoTableResource d)
    {
        w.WriteStartElement("RESOURCE", VoTableNs);
        w.WriteAttributeString("type", "meta");
        w.WriteAttributeString("utype", d.Utype ?? "adhoc:service");
        if (d.Id is not null) w.WriteAttributeString("ID", d.Id);
        if (d.Name is not null) w.WriteAttributeString("name", d.Name);
        if (d.Description is not null) w.WriteElementString("DESCRIPTION", VoTableNs, d.Description);
        foreach (var p in d.Params) Param(w, p);
        foreach (var g in d.Groups)
        {
            w.WriteStartElement("GROUP", VoTableNs);
            if (g.Name is not null) w.WriteAttributeString("name", g.Name);
            if (g.Description is not null) w.WriteElementString("DESCRIPTION", VoTableNs, g.Description);
            foreach (var p in g.Params) Param(w, p);
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    private static void Param(XmlWriter w, VoTableParam p)
    {
        w.WriteStartElement("PARAM", VoTableNs);
        w.WriteAttributeString("name", p.Name);
        w.WriteAttributeString("datatype", p.Datatype);
        if (p.Arraysize is not null) w.WriteAttributeString("arraysize", p.Arraysize);
        if (p.Xtype is not null) w.WriteAttributeString("xtype", p.Xtype);
        if (p.Unit is not null) w.WriteAttributeString("unit", p.Unit);
        if (p.Ucd is not null) w.WriteAttributeString("ucd", p.Ucd);
        if (p.Utype is not null) w.WriteAttributeString("utype", p.Utype);
        if (p.Ref is not null) w.WriteAttributeString("ref", p.Ref);
        w.WriteAttributeString("value", p.Value);
        if (p.Description is not null) w.WriteElementString("DESCRIPTION", VoTableNs, p.Description);
        if (p.Min is not null || p.Max is not null || p.Options.Count > 0)
        {
            w.WriteStartElement("VALUES", VoTableNs);
            if (p.Min is not null) Valued(w, "MIN", p.Min);
            if (p.Max is not null) Valued(w, "MAX", p.Max);
            foreach (var o in p.Options) Valued(w, "OPTION", o);
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    private static void Valued(XmlWriter w, string element, string value)
    {
        w.WriteStartElement(element, VoTableNs);
        w.WriteAttributeString("value", value);
        w.WriteEndElement();
    }

    private static void Info(XmlWriter w, string name, string value, string? text)
    {
        w.WriteStartElement("INFO", VoTableNs);
        w.WriteAttributeString("name", name);
        w.WriteAttributeString("value", value);
        if (text is not null) w.WriteString(text);
        w.WriteEndElement();
    }
}
