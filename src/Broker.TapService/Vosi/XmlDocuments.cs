using System.Globalization;
using System.Text;
using System.Xml;

namespace Broker.TapService.Vosi;

/// <summary>Writes small XML documents as UTF-8 without BOM, and times as UWS/VOSI want them (UTC, <c>Z</c>).</summary>
public static class XmlDocuments
{
    public static byte[] Write(Action<XmlWriter> body)
    {
        using var ms = new MemoryStream();
        using (var w = XmlWriter.Create(ms, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            w.WriteStartDocument();
            body(w);
            w.WriteEndDocument();
        }
        return ms.ToArray();
    }

    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
