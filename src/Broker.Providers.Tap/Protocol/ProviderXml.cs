using System.Xml;
using System.Xml.Linq;

namespace Broker.Providers.Tap.Protocol;

/// <summary>
/// Loads the small XML documents a provider sends (UWS job, VOSI tables, capabilities, availability): DTDs
/// prohibited, nothing resolved, time linear in the body and nesting bounded. The bound matters beyond time: a tree
/// nested thousands deep would exhaust the stack of the recursive <see cref="XElement.Value"/>.
/// </summary>
internal static class ProviderXml
{
    /// <summary>Deepest nesting accepted (VOSI tablesets need about 6, UWS jobs 4).</summary>
    public const int MaxDepth = 64;

    /// <summary>Parses <paramref name="body"/>; throws <see cref="XmlException"/> when it is not XML or nests too deep.</summary>
    public static XDocument Load(byte[] body)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersFromEntities = 0,
            IgnoreComments = true, IgnoreProcessingInstructions = true,
        };
        // One cheap pass checks the depth before the tree is built (two linear passes, never a deep tree).
        using (var scan = XmlReader.Create(new MemoryStream(body, writable: false), settings))
        {
            while (scan.Read())
            {
                if (scan.Depth > MaxDepth)
                    throw new XmlException($"the document nests elements deeper than {MaxDepth} levels");
            }
        }
        using var xml = XmlReader.Create(new MemoryStream(body, writable: false), settings);
        return XDocument.Load(xml);
    }
}
