using System.Xml.Linq;

namespace Broker.Soap.Messages;

/// <summary>
/// Lenient lookups for VSOi message children: by local name, unqualified or in the VSOi namespace (IDL puts
/// everything in a default namespace, zeep writes them unqualified), with xsi:nil / xsi:null read as absent.
/// </summary>
internal static class XmlValues
{
    private static readonly XName[] NilNames =
    [
        XName.Get("nil", VsoiNames.XsiNamespace), XName.Get("null", VsoiNames.XsiNamespace),
        XName.Get("nil", VsoiNames.Xsi1999Namespace), XName.Get("null", VsoiNames.Xsi1999Namespace),
    ];

    public static bool IsVsoName(XName name) => name.NamespaceName.Length == 0 || name.NamespaceName == VsoiNames.Namespace;

    public static IEnumerable<XElement> Children(XElement? parent, string localName) =>
        parent is null ? [] : parent.Elements().Where(e => e.Name.LocalName == localName && IsVsoName(e.Name));

    public static XElement? Child(XElement? parent, string localName) => Children(parent, localName).FirstOrDefault();

    public static bool IsNil(XElement element) =>
        NilNames.Any(n => element.Attribute(n)?.Value.Trim() is "1" or "true");

    /// <summary>The trimmed text of an element; null when absent, nil or blank.</summary>
    public static string? Value(XElement? element)
    {
        if (element is null || IsNil(element)) return null;
        var text = element.Value.Trim();
        return text.Length == 0 ? null : text;
    }

    public static string? Text(XElement? parent, string localName) => Value(Child(parent, localName));

    /// <summary>
    /// The members of a possibly SOAP-encoded array: the <c>item</c> children when present (IDL's
    /// <c>SOAP-ENC:Array</c>), otherwise the element itself (IDL writes a single entry as a plain element).
    /// </summary>
    public static IEnumerable<XElement> ArrayMembers(XElement element)
    {
        var items = Children(element, "item").ToList();
        return items.Count > 0 ? items : [element];
    }

    /// <summary>String values of every element named <paramref name="localName"/> under the parent, unwrapping encoded arrays.</summary>
    public static List<string> Strings(XElement? parent, string localName) =>
        Children(parent, localName).SelectMany(ArrayMembers).Select(Value).OfType<string>().ToList();
}
