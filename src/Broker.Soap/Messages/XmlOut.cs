using System.Globalization;
using System.Xml;

namespace Broker.Soap.Messages;

/// <summary>Small helpers for writing unqualified VSOi children.</summary>
internal static class XmlOut
{
    /// <summary>Writes <c>&lt;name&gt;value&lt;/name&gt;</c> when the value is not null (absent elements are never written as nil).</summary>
    public static void Optional(XmlWriter w, string name, string? value)
    {
        if (value is null) return;
        w.WriteElementString(name, Clean(value));
    }

    public static void Optional(XmlWriter w, string name, long? value)
    {
        if (value is { } v) w.WriteElementString(name, v.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Writes <c>&lt;name&gt;&lt;itemName&gt;item&lt;/itemName&gt;…&lt;/name&gt;</c>, one child a string (an empty list still writes the wrapper).</summary>
    public static void ListElement(XmlWriter w, string name, string itemName, IEnumerable<string> items)
    {
        w.WriteStartElement(name);
        foreach (var item in items) w.WriteElementString(itemName, Clean(item));
        w.WriteEndElement();
    }

    public static string Number(double value) =>
        double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "-1";

    /// <summary>Drops characters XML 1.0 cannot carry, so a strange provider value never breaks the whole answer.</summary>
    public static string Clean(string value)
    {
        foreach (var c in value)
            if (!XmlConvert.IsXmlChar(c) && !char.IsSurrogate(c)) return new string(value.Where(XmlConvert.IsXmlChar).ToArray());
        return value;
    }
}
