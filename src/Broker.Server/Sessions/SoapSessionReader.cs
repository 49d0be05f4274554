using System.Xml;

namespace Broker.Server.Sessions;

/// <summary>
/// Finds a session id in a SOAP request before the SOAP endpoint runs: IDL and sunpy send no cookies, only
/// <c>info/required</c> (VSOi) or a <c>VSO-Session</c> SOAP header. The body is buffered and rewound for the endpoint.
/// </summary>
internal static class SoapSessionReader
{
    /// <summary>Bodies larger than this are not looked into (VSOi requests are a few kB).</summary>
    private const long MaxPeekBytes = 1024 * 1024;

    public static async Task<string?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!HttpMethods.IsPost(request.Method) || request.ContentLength is not (> 0 and <= MaxPeekBytes)) return null;
        request.EnableBuffering();
        try
        {
            var settings = new XmlReaderSettings
            {
                Async = true, DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true,
                IgnoreProcessingInstructions = true, MaxCharactersInDocument = MaxPeekBytes,
            };
            using var reader = XmlReader.Create(new NonClosingStream(request.Body), settings);
            var path = new List<string>();
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (reader.NodeType == XmlNodeType.EndElement) { if (path.Count > 0) path.RemoveAt(path.Count - 1); continue; }
                if (reader.NodeType != XmlNodeType.Element) continue;
                var name = reader.LocalName;
                var parent = path.Count > 0 ? path[^1] : "";
                var inHeader = path.Any(p => p.Equals("Header", StringComparison.Ordinal));
                if ((name.Equals("required", StringComparison.OrdinalIgnoreCase) && parent.Equals("info", StringComparison.OrdinalIgnoreCase))
                    || (inHeader && (name.Equals("VSO-Session", StringComparison.OrdinalIgnoreCase) || name.Equals("session", StringComparison.OrdinalIgnoreCase))))
                {
                    if (reader.IsEmptyElement) continue;
                    var text = (await reader.ReadElementContentAsStringAsync().ConfigureAwait(false)).Trim();
                    if (text.Length > 0) return text;
                    continue;
                }
                if (!reader.IsEmptyElement) path.Add(name);
            }
            return null;
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

    /// <summary>Keeps the buffered request body open for the endpoint when the reader is disposed.</summary>
    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
