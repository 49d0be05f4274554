using Broker.Simulators.Faults;
using Broker.Simulators.Hosting;
using Broker.Simulators.Tap;
using Broker.TapService;
using Microsoft.AspNetCore.Http;

namespace Broker.Simulators.Files;

/// <summary>
/// <c>GET /{provider}/data?data_item_id=…</c> (SOAR style, with retrieval_type/product_type ignored) or
/// <c>?ID=…</c> (access_url style): the deterministic file of <see cref="SimulatedFiles"/>, 404 for unknown ids.
/// </summary>
internal static class DataEndpoint
{
    public static async Task HandleAsync(HttpContext http, SimulatedProvider provider, FaultDecision fault)
    {
        provider.Counters.Data();
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
        {
            await SimulatorRouter.Text(http, 405, "Use GET.\n").ConfigureAwait(false);
            return;
        }

        var p = await TapRequestReader.ReadAsync(http.Request, http.RequestAborted).ConfigureAwait(false);
        var id = p["data_item_id"] ?? p["ID"] ?? p["granule_uid"];
        if (string.IsNullOrWhiteSpace(id))
        {
            await SimulatorRouter.Text(http, 400, "Missing data_item_id or ID parameter.\n").ConfigureAwait(false);
            return;
        }

        if (!provider.Data.Files.TryGetValue(id, out var fileName))
        {
            await SimulatorRouter.Text(http, 404, $"No product with id '{id}'.\n").ConfigureAwait(false);
            return;
        }

        if (provider.Data.RestrictedFiles.Contains(id) && !SimulatorRouter.IsAuthorised(http))
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"" + provider.Name + "\"";
            await SimulatorRouter.Text(http, 401, $"Product '{id}' is restricted: credentials required.\n").ConfigureAwait(false);
            return;
        }

        var bytes = SimulatedFiles.Content(id, fileName);
        var contentType = fileName.EndsWith(".cdf", StringComparison.OrdinalIgnoreCase) ? "application/x-cdf" : "application/fits";
        await PayloadWriter.WriteAsync(http, fault, provider.Counters, contentType,
            (stream, ct) => stream.WriteAsync(bytes, ct).AsTask(),
            headers: r =>
            {
                r.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
                if (!fault.Spec.MalformedBody && !fault.Spec.TruncatedBody) r.ContentLength = bytes.Length;
            }).ConfigureAwait(false);
    }
}
