using System.Text;
using Microsoft.AspNetCore.Http;

namespace Broker.Simulators.Faults;

/// <summary>
/// Writes a payload response (query result, /tables, data file, SOAP answer), applying the body faults:
/// malformed (garbage XML with status 200) and truncated (half the bytes, then the connection is aborted).
/// Without body faults the payload streams straight to the client.
/// </summary>
internal static class PayloadWriter
{
    /// <summary>Garbage that looks like the start of a VOTable but is not well-formed XML.</summary>
    public static readonly byte[] Garbage = Encoding.UTF8.GetBytes(
        "<?xml version=\"1.0\"?>\n<VOTABLE version=\"1.4\"><RESOURCE type=\"results\"><INFO name=\"QUERY_STATUS\" value=\"OK\">" +
        "<TABLE><FIELD name=\"x\" datatype=\"char\" arraysize=\"*\"<<DATA>&&garbage;</TR></VOTABLE");

    public static async Task WriteAsync(HttpContext http, FaultDecision fault, Hosting.CallCounters counters, string contentType,
        Func<Stream, CancellationToken, Task> write, int status = StatusCodes.Status200OK, Action<HttpResponse>? headers = null)
    {
        if (fault.Spec.MalformedBody || fault.Spec.TruncatedBody) counters.Fault();
        var response = http.Response;
        var ct = http.RequestAborted;
        response.StatusCode = status;
        response.ContentType = contentType;
        headers?.Invoke(response);
        if (fault.Spec.MalformedBody)
        {
            response.ContentLength = Garbage.Length;
            await response.Body.WriteAsync(Garbage, ct).ConfigureAwait(false);
            return;
        }

        if (fault.Spec.TruncatedBody)
        {
            using var buffer = new MemoryStream();
            await write(buffer, ct).ConfigureAwait(false);
            var bytes = buffer.GetBuffer();
            var length = (int)buffer.Length;
            // Announce the full length, send half of it, then drop the connection: the client sees a cut body.
            response.ContentLength = length;
            await response.Body.WriteAsync(bytes.AsMemory(0, length / 2), ct).ConfigureAwait(false);
            await response.Body.FlushAsync(ct).ConfigureAwait(false);
            http.Abort();
            return;
        }

        await write(response.Body, ct).ConfigureAwait(false);
    }
}
