using System.Xml;
using System.Xml.Linq;

namespace Broker.Providers.Tap.Protocol;

/// <summary>The parts of a UWS job document the client needs, read by namespace and local name (never by prefix).</summary>
internal sealed record UwsJob(string Phase, string? JobId, string? ErrorMessage, Uri? ResultUrl, DateTimeOffset? Destruction = null)
{
    public const string Namespace = "http://www.ivoa.net/xml/UWS/v1.0";
    private const string XLink = "http://www.w3.org/1999/xlink";

    public bool IsFinal => Phase is "COMPLETED" or "ERROR" or "ABORTED" or "ARCHIVED";

    /// <summary>Parses a job document (see <see cref="ProviderXml"/>); throws <see cref="FormatException"/> when it is not one.</summary>
    public static UwsJob Parse(byte[] body, Uri jobUrl)
    {
        XDocument doc;
        try
        {
            doc = ProviderXml.Load(body);
        }
        catch (XmlException ex)
        {
            throw new FormatException("the job document is not XML: " + ex.Message, ex);
        }
        var root = doc.Root;
        if (root is null || root.Name.LocalName != "job" || !IsUws(root.Name))
            throw new FormatException($"the job document's root is <{root?.Name.LocalName}>, not a UWS <job>");
        var phase = Child(root, "phase")?.Value.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(phase)) throw new FormatException("the job document has no phase");
        var error = Child(root, "errorSummary") is { } summary
            ? (Child(summary, "message")?.Value ?? summary.Value).Trim()
            : null;
        return new UwsJob(phase, Child(root, "jobId")?.Value.Trim(), string.IsNullOrEmpty(error) ? null : error, ResultOf(root, jobUrl),
            DestructionOf(root));
    }

    private static Uri? ResultOf(XElement root, Uri jobUrl)
    {
        var results = Child(root, "results")?.Elements().Where(e => e.Name.LocalName == "result" && IsUws(e.Name)).ToList();
        if (results is null || results.Count == 0) return null;
        var chosen = results.FirstOrDefault(r => (string?)r.Attribute("id") == "result") ?? results[0];
        var href = (string?)chosen.Attribute(XName.Get("href", XLink));
        if (string.IsNullOrWhiteSpace(href)) return null;
        return Uri.TryCreate(jobUrl, href.Trim(), out var url) && url.Scheme is "http" or "https" ? url : null;
    }

    /// <summary>When the provider destroys the job itself (UWS <c>destruction</c>, ISO 8601; a time without zone is UTC).</summary>
    private static DateTimeOffset? DestructionOf(XElement root) =>
        Child(root, "destruction")?.Value.Trim() is { Length: > 0 } text && DateTimeOffset.TryParse(text,
            System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var at)
            ? at : null;

    // Accept the UWS namespace, and the unqualified form some services still write.
    private static bool IsUws(XName name) => name.NamespaceName is Namespace or "";

    private static XElement? Child(XElement parent, string localName) =>
        parent.Elements().FirstOrDefault(e => e.Name.LocalName == localName && IsUws(e.Name));
}
