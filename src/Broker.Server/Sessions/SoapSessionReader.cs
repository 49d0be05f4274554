using System.Xml;
using Broker.Soap.Envelope;

namespace Broker.Server.Sessions;

/// <summary>
/// Finds a session id in a SOAP request before the SOAP endpoint runs: IDL and sunpy send no cookies, only
/// <c>info/required</c> (VSOi) or a <c>VSO-Session</c> SOAP header. The body is buffered and rewound for the endpoint.
/// The peek costs time linear in the body and stops at the SOAP door's depth bound: a hostile nested body is
/// left to the endpoint, which refuses it with a Fault.
/// </summary>
internal static class SoapSessionReader
{
    /// <summary>Bodies larger than this are not looked into (VSOi requests are a few kB).</summary>
    private const long MaxPeekBytes = 1024 * 1024;

    public static async Task<string?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!HttpMethods.IsPost(request.Method) || request.ContentLength is not (> 0 and <= MaxPeekBytes)) return null;
        var limits = request.HttpContext.RequestServices.GetService<SoapLimits>() ?? SoapLimits.Default;
        request.EnableBuffering();
        try
        {
            var settings = SecureXml.ReaderSettings(MaxPeekBytes);
            settings.Async = true;
            using var reader = XmlReader.Create(request.Body, settings);
            return (await PeekAsync(reader, limits.MaxDepth, cancellationToken).ConfigureAwait(false)).SessionId;
        }
        catch (XmlException)
        {
            return null; // the SOAP endpoint reports a malformed request as a fault
        }
        finally
        {
            request.Body.Position = 0;
        }
    }

    /// <summary>What a peek found, and how many elements it looked at to find it.</summary>
    internal readonly record struct PeekResult(string? SessionId, int ElementsRead, bool TooDeep);

    /// <summary>One pass over the elements: constant work per element, never deeper than <paramref name="maxDepth"/>.</summary>
    internal static async Task<PeekResult> PeekAsync(XmlReader reader, int maxDepth, CancellationToken cancellationToken)
    {
        var names = new string[maxDepth + 1];
        var headerDepth = -1;
        var elements = 0;
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var depth = reader.Depth;
            if (reader.NodeType == XmlNodeType.EndElement)
            {
                if (depth == headerDepth) headerDepth = -1;
                continue;
            }
            if (reader.NodeType != XmlNodeType.Element) continue;
            elements++;
            if (depth > maxDepth) return new PeekResult(null, elements, TooDeep: true);
            var name = reader.LocalName;
            names[depth] = name;
            var parent = depth > 0 ? names[depth - 1] : "";
            var inHeader = headerDepth >= 0 && depth > headerDepth;
            if ((name.Equals("required", StringComparison.OrdinalIgnoreCase) && parent.Equals("info", StringComparison.OrdinalIgnoreCase))
                || (inHeader && (name.Equals("VSO-Session", StringComparison.OrdinalIgnoreCase) || name.Equals("session", StringComparison.OrdinalIgnoreCase))))
            {
                if (reader.IsEmptyElement) continue;
                var text = (await reader.ReadElementContentAsStringAsync().ConfigureAwait(false)).Trim();
                if (text.Length > 0) return new PeekResult(text, elements, TooDeep: false);
                continue;
            }
            if (headerDepth < 0 && !reader.IsEmptyElement && name.Equals("Header", StringComparison.Ordinal)) headerDepth = depth;
        }
        return new PeekResult(null, elements, TooDeep: false);
    }
}
