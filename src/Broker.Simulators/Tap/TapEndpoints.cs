using Broker.Simulators.Faults;
using Broker.Simulators.Hosting;
using Broker.Simulators.Uws;
using Broker.Simulators.Vosi;
using Microsoft.AspNetCore.Http;

namespace Broker.Simulators.Tap;

/// <summary>The TAP resources of one provider: /sync, /async (UWS), /tables, /capabilities, /availability.</summary>
internal sealed class TapEndpoints(SimulatedProvider provider, FaultDecision fault, TimeProvider time)
{
    private const string XmlType = "text/xml; charset=utf-8";

    public async Task HandleAsync(HttpContext http, string[] path)
    {
        var method = http.Request.Method;
        switch (path.Length == 0 ? string.Empty : path[0])
        {
            case "" when HttpMethods.IsGet(method):
                await SimulatorRouter.Text(http, 200,
                    $"<html><body><h1>Simulated TAP service {provider.Name}</h1><p>Kind: {provider.Options.Kind}. " +
                    "Resources: sync, async, tables, capabilities, availability.</p></body></html>", "text/html; charset=utf-8").ConfigureAwait(false);
                return;
            case "sync" when path.Length == 1 && (HttpMethods.IsGet(method) || HttpMethods.IsPost(method)):
                await SyncAsync(http).ConfigureAwait(false);
                return;
            case "async":
                await new AsyncEndpoints(provider, fault, time).HandleAsync(http, path[1..]).ConfigureAwait(false);
                return;
            case "tables" when HttpMethods.IsGet(method) && path.Length <= 2:
                await TablesAsync(http, path.Length == 2 ? path[1] : null).ConfigureAwait(false);
                return;
            case "capabilities" when HttpMethods.IsGet(method) && path.Length == 1:
                provider.Counters.Metadata();
                await SimulatorRouter.Bytes(http, 200, VosiDocuments.Capabilities(provider.TapBaseUrl), XmlType).ConfigureAwait(false);
                return;
            case "availability" when HttpMethods.IsGet(method) && path.Length == 1:
                provider.Counters.Metadata();
                await SimulatorRouter.Bytes(http, 200, VosiDocuments.Availability(true, provider.StartedAt, null), XmlType).ConfigureAwait(false);
                return;
            case "sync" or "tables" or "capabilities" or "availability" when path.Length == 1:
                await SimulatorRouter.Text(http, 405, "Method not allowed.\n").ConfigureAwait(false);
                return;
            default:
                await SimulatorRouter.Text(http, 404, "Unknown TAP resource.\n").ConfigureAwait(false);
                return;
        }
    }

    private async Task SyncAsync(HttpContext http)
    {
        provider.Counters.Sync();
        var p = await TapRequestReader.ReadAsync(http.Request, http.RequestAborted).ConfigureAwait(false);
        var query = await QueryRunner.PrepareOnceAsync(provider, p, fault.Spec, SimulatorRouter.IsAuthorised(http)).ConfigureAwait(false);
        await PayloadWriter.WriteAsync(http, fault, provider.Counters, query.ContentType, query.WriteAsync,
            query.IsError ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK).ConfigureAwait(false);
    }

    private async Task TablesAsync(HttpContext http, string? table)
    {
        provider.Counters.Metadata();
        if (table is not null && provider.Data.Catalog.Find(table) is null)
        {
            await SimulatorRouter.Text(http, 404, $"Unknown table '{table}'.\n").ConfigureAwait(false);
            return;
        }

        var bytes = VosiDocuments.Tables(provider.Data.Catalog, provider.MissingColumn(fault.Spec), table);
        await PayloadWriter.WriteAsync(http, fault, provider.Counters, XmlType, (s, ct) => s.WriteAsync(bytes, ct).AsTask()).ConfigureAwait(false);
    }
}
