using System.Xml.Linq;
using Broker.Core.Services;

namespace Broker.Providers.Tap.Metadata;

/// <summary>
/// Parsers of the VOSI documents, by local name whatever the namespace (services write VODataService 1.0/1.1,
/// prefixed or not), loaded by <see cref="Protocol.ProviderXml"/>: DTDs prohibited, nesting bounded.
/// </summary>
internal static class VosiDocuments
{
    public static XDocument Load(byte[] body) => Protocol.ProviderXml.Load(body);

    /// <summary>Tables from a tableset (or a single <c>table</c> document); names are schema-qualified.</summary>
    public static IReadOnlyList<TableMetadata> ParseTables(XDocument doc)
    {
        var result = new List<TableMetadata>();
        if (doc.Root is null) return result;
        var tables = doc.Root.Name.LocalName == "table"
            ? [doc.Root]
            : doc.Root.Descendants().Where(e => e.Name.LocalName == "table");
        foreach (var table in tables)
        {
            var name = Text(table, "name");
            if (name is null) continue;
            var schema = table.Parent is { } p && p.Name.LocalName == "schema" ? Text(p, "name") : null;
            if (schema is not null && !name.Contains('.', StringComparison.Ordinal)) name = schema + "." + name;
            var columns = table.Elements().Where(e => e.Name.LocalName == "column")
                .Select(c => Text(c, "name") is { } n ? new ColumnMetadata(n, Text(c, "dataType"), Text(c, "unit"), Text(c, "ucd")) : null)
                .OfType<ColumnMetadata>()
                .ToList();
            result.Add(new TableMetadata(name, columns));
        }
        return result;
    }

    /// <summary>(available, note) from a VOSI availability document.</summary>
    public static (bool Available, string? Note) ParseAvailability(XDocument doc)
    {
        var root = doc.Root;
        var available = root?.Descendants().FirstOrDefault(e => e.Name.LocalName == "available")?.Value.Trim();
        var note = root?.Descendants().FirstOrDefault(e => e.Name.LocalName == "note")?.Value.Trim();
        return (string.Equals(available, "true", StringComparison.OrdinalIgnoreCase) || available == "1", string.IsNullOrEmpty(note) ? null : note);
    }

    /// <summary>True when the capabilities list a BINARY2 output format (by ivo-id or MIME).</summary>
    public static bool OffersBinary2(XDocument doc) =>
        doc.Root?.Descendants().Where(e => e.Name.LocalName == "outputFormat").Any(f =>
            ((string?)f.Attribute("ivo-id"))?.Contains("binary2", StringComparison.OrdinalIgnoreCase) == true ||
            f.Elements().Any(m => m.Name.LocalName is "mime" or "alias" && m.Value.Contains("binary2", StringComparison.OrdinalIgnoreCase))) == true;

    private static string? Text(XElement parent, string localName)
    {
        var value = parent.Elements().FirstOrDefault(e => e.Name.LocalName == localName)?.Value.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
