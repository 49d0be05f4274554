using Broker.Simulators.Faults;
using Broker.Simulators.Hosting;
using Broker.Simulators.Tap;
using Broker.TapService.DataLink;
using Broker.VoTable;
using Microsoft.AspNetCore.Http;

namespace Broker.Simulators.Files;

/// <summary>
/// The DataLink side of an ObsCore provider with <see cref="SimulatedProviderOptions.DataLink"/>: most records'
/// <c>access_url</c> is the provider's own {links} service (<c>/{provider}/links?ID=…</c>), which answers
/// <c>#this</c> (the file), <c>#preview</c> (a PNG at <c>/{provider}/preview</c>) and <c>#cutout</c>, a SODA sync
/// service descriptor (<c>/{provider}/soda</c>) whose ID input is filled from the row (<c>ref</c>). The rest point to
/// the file itself. Some ids get an error row from the links service and some an HTTP 500, by a stable hash of the id.
/// The simulator's SODA service checks the id and answers the whole simulated file (it cuts nothing).
/// </summary>
public static class SimulatedLinks
{
    public enum Kind
    {
        /// <summary>access_url is the file itself.</summary>
        File,
        /// <summary>The links service answers #this, #preview and #cutout.</summary>
        Links,
        /// <summary>The links service answers an error row for the id.</summary>
        ErrorRow,
        /// <summary>The links service fails with HTTP 500 when asked for the id.</summary>
        ServiceError,
    }

    public const string SodaStandardId = "ivo://ivoa.net/std/SODA#sync-1.0";

    /// <summary>A quarter of the records are plain files, one in eight gets an error row, one in eight an HTTP 500.</summary>
    public static Kind KindOf(string did) => (StableHash(did) % 8) switch
    {
        0 or 1 => Kind.File,
        2 => Kind.ErrorRow,
        3 => Kind.ServiceError,
        _ => Kind.Links,
    };

    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text) hash = (hash ^ c) * 16777619u;
        return hash;
    }

    /// <summary>A 1×1 grey PNG: what every preview of the simulator shows.</summary>
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg==");

    /// <summary><c>GET|POST /{provider}/links?ID=…[&amp;ID=…]</c>.</summary>
    internal static async Task LinksAsync(HttpContext http, SimulatedProvider provider, FaultDecision fault)
    {
        provider.Counters.Data();
        var p = await TapRequestReader.ReadAsync(http.Request, http.RequestAborted).ConfigureAwait(false);
        var ids = p.All("ID");
        if (ids.Count == 0)
        {
            await SimulatorRouter.Bytes(http, 400, VoTableWriter.CreateErrorDocument("UsageFault: ID is missing"), "application/x-votable+xml").ConfigureAwait(false);
            return;
        }
        if (ids.Any(id => provider.Data.Files.ContainsKey(id) && KindOf(id) == Kind.ServiceError))
        {
            provider.Counters.Fault();
            await SimulatorRouter.Text(http, 500, "Simulated DataLink failure.\n").ConfigureAwait(false);
            return;
        }
        var root = provider.DataUrl[..provider.DataUrl.LastIndexOf('/')];
        var rows = new List<LinkRow>();
        foreach (var id in ids)
        {
            var escaped = Uri.EscapeDataString(id);
            if (!provider.Data.Files.TryGetValue(id, out var fileName))
                rows.Add(LinkRow.Error(id, "NotFoundFault", $"no product with id '{id}'"));
            else if (KindOf(id) == Kind.ErrorRow)
                rows.Add(LinkRow.Error(id, "DefaultFault", "the file is being reprocessed; try again tomorrow"));
            else
            {
                rows.Add(new LinkRow(id, "#this", AccessUrl: $"{provider.DataUrl}?ID={escaped}", ContentType: "application/fits",
                    ContentLength: 2 * SimulatedFiles.BlockSize, Description: "The FITS file " + fileName) { LinkAuth = "false" });
                rows.Add(new LinkRow(id, "#preview", AccessUrl: $"{root}/preview?ID={escaped}", ContentType: "image/png",
                    ContentLength: Png.Length, Description: "Quick-look image") { LinkAuth = "false" });
                if (KindOf(id) == Kind.Links)
                    rows.Add(new LinkRow(id, "#cutout", ServiceDef: "soda", Description: "Cut-out of this image (SODA sync)", ContentType: "application/fits"));
            }
        }
        var soda = new VoTableResource("soda", "soda", "adhoc:service", "Cut-outs of the provider's images (SODA 1.0 sync)",
        [
            Param("standardID", SodaStandardId, "meta.ref.ivoid"),
            Param("accessURL", root + "/soda", "meta.ref.url"),
        ],
        [
            new VoTableGroup("inputParams", null,
            [
                new VoTableParam("ID", "char", "*", null, null, "meta.id;meta.dataset", null, "", LinksDocument.IdFieldXmlId,
                    "The dataset to cut", null, null, []),
                new VoTableParam("CIRCLE", "double", "3", "circle", "deg", "obs.field", null, "", null,
                    "Cone to cut out: centre longitude, latitude, radius", null, null, []),
                new VoTableParam("POLYGON", "double", "*", "polygon", "deg", "obs.field", null, "", null,
                    "Polygon to cut out: vertex longitudes and latitudes", null, null, []),
            ]),
        ]);
        var used = rows.Any(r => r.ServiceDef is not null);
        await PayloadWriter.WriteAsync(http, fault, provider.Counters, LinksDocument.ContentType,
            (stream, ct) => stream.WriteAsync(LinksDocument.Write(rows, used ? [soda] : [])).AsTask()).ConfigureAwait(false);
    }

    private static VoTableParam Param(string name, string value, string ucd) =>
        new(name, "char", "*", null, null, ucd, null, value, null, null, null, null, []);

    /// <summary><c>GET /{provider}/preview?ID=…</c>: the preview PNG of a record with links.</summary>
    internal static async Task PreviewAsync(HttpContext http, SimulatedProvider provider)
    {
        provider.Counters.Data();
        var p = await TapRequestReader.ReadAsync(http.Request, http.RequestAborted).ConfigureAwait(false);
        if (p["ID"] is not { } id || !provider.Data.Files.ContainsKey(id))
        {
            await SimulatorRouter.Text(http, 404, "No such preview.\n").ConfigureAwait(false);
            return;
        }
        await SimulatorRouter.Bytes(http, 200, Png, "image/png").ConfigureAwait(false);
    }

    /// <summary><c>GET|POST /{provider}/soda?ID=…[&amp;CIRCLE=…]</c>: the whole file (the simulator cuts nothing).</summary>
    internal static async Task SodaAsync(HttpContext http, SimulatedProvider provider)
    {
        provider.Counters.Data();
        var p = await TapRequestReader.ReadAsync(http.Request, http.RequestAborted).ConfigureAwait(false);
        if (p["ID"] is not { } id || !provider.Data.Files.TryGetValue(id, out var fileName) || KindOf(id) != Kind.Links)
        {
            await SimulatorRouter.Text(http, 404, "NotFoundFault: no cut-out service for this ID.\n").ConfigureAwait(false);
            return;
        }
        await SimulatorRouter.Bytes(http, 200, SimulatedFiles.Content(id, fileName), "application/fits").ConfigureAwait(false);
    }
}
