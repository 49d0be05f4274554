using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;

namespace Broker.Server.Hosting;

/// <summary>
/// Brotli and gzip for the broker's text answers — JSON, CSV/TSV, VOTable and SOAP XML, server-sent events, the web
/// pages' HTML, scripts and styles — chosen
/// by the caller's Accept-Encoding (Brotli first). Only the types listed are compressed, so data files and anything
/// already compressed pass untouched. Fastest levels, chosen by measurement (scripts/bench.sh fanout prints the
/// figures; README "Benchmarks"): Brotli quality 1 makes a 10,000-record JSON answer ~14× smaller for about gzip's CPU.
/// </summary>
public static class Compression
{
    public static readonly string[] CompressedTypes =
    [
        "application/json", "application/problem+json", "text/csv", "text/tab-separated-values", "text/plain",
        "application/x-votable+xml", "text/xml", "application/xml", "application/soap+xml", "text/event-stream",
        // the web page and the API reference page (/docs serves a ~3 MB script)
        "text/html", "text/css", "text/javascript", "application/javascript", "image/svg+xml",
    ];

    public static void AddBrokerCompression(this IServiceCollection services)
    {
        services.AddResponseCompression(o =>
        {
            // Behind the TLS-terminating proxy requests are https; the answers hold no secret next to caller-chosen
            // text (session ids travel in headers and cookies, which are never compressed), so BREACH does not apply.
            o.EnableForHttps = true;
            o.Providers.Add<BufferedBrotliProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = CompressedTypes;
        });
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
    }

    /// <summary>
    /// Brotli at its fastest level, fed in 128 KiB pieces. At qualities 0-1 the encoder compresses each piece it is
    /// given on its own, and the response arrives in pipe-sized writes of a few KiB: unbuffered, a 10,000-record answer
    /// came out at 0.19 of its size instead of 0.07 (scripts/bench.sh fanout). Flushes pass through (server-sent events).
    /// </summary>
    private sealed class BufferedBrotliProvider : ICompressionProvider
    {
        public string EncodingName => "br";
        public bool SupportsFlush => true;
        public Stream CreateStream(Stream outputStream) =>
            new BufferedStream(new BrotliStream(outputStream, CompressionLevel.Fastest, leaveOpen: true), 128 * 1024);
    }
}
