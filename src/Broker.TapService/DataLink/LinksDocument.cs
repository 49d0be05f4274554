using System.Globalization;
using System.Text;
using System.Xml;

namespace Broker.TapService.DataLink;

/// <summary>Writes a DataLink 1.1 {links} response: a VOTable 1.4 with the twelve standard columns in TABLEDATA.</summary>
public static class LinksDocument
{
    /// <summary>The MIME type of a DataLink response (DataLink 1.1 §3.3).</summary>
    public const string ContentType = "application/x-votable+xml;content=datalink";

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

    public static byte[] Write(IReadOnlyList<LinkRow> rows, IReadOnlyList<(string Name, string Value, string Text)>? infos = null)
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
            w.WriteEndElement();
            w.WriteEndDocument();
        }
        return ms.ToArray();
    }

    private static string?[] Cells(LinkRow r) =>
    [
        r.Id, r.AccessUrl, r.ServiceDef, r.ErrorMessage, r.Semantics, r.Description, r.ContentType,
        r.ContentLength?.ToString(CultureInfo.InvariantCulture), r.ContentQualifier, null, r.ErrorMessage is null ? "false" : null, null,
    ];

    private static void Info(XmlWriter w, string name, string value, string? text)
    {
        w.WriteStartElement("INFO", VoTableNs);
        w.WriteAttributeString("name", name);
        w.WriteAttributeString("value", value);
        if (text is not null) w.WriteString(text);
        w.WriteEndElement();
    }
}
