using Broker.TapService.DataLink;
using Broker.VoTable;

namespace Broker.Server.Tap;

/// <summary>The DataLink 1.1 {links} service at <c>/tap/links</c>, where ivoa.obscore's access_url points.</summary>
internal static class TapLinksEndpoints
{
    public static void Map(RouteGroupBuilder tap) =>
        tap.MapMethods("/links", ["GET", "POST"], LinksAsync)
            .WithSummary("DataLink 1.1 {links}: for each ID (ivoa.obscore obs_publisher_did) the file (#this), its preview, the provider's own DataLink rows and cut-out (SODA) services, or the fault");

    private static async Task LinksAsync(HttpContext http, RecordLinks links)
    {
        if (await TapHttp.ReadParametersAsync(http) is not { } p) return;
        var ids = p.All("ID");
        var format = p["RESPONSEFORMAT"];
        string? usage = null;
        if (format is not null && !IsDataLinkFormat(format))
            usage = $"RESPONSEFORMAT '{format}' is not offered; the links come as {LinksDocument.ContentType}";
        else if (ids.Count == 0)
            usage = "ID is missing: give one or more record identifiers (ivoa.obscore obs_publisher_did)";
        else if (ids.Count > RecordLinks.MaxIds)
            usage = $"{ids.Count} IDs in one request; at most {RecordLinks.MaxIds} are answered at once";
        if (usage is not null)
        {
            await TapHttp.BytesAsync(http, StatusCodes.Status400BadRequest, VoTableWriter.CreateErrorDocument("UsageFault: " + usage), TapHttp.VoTableType);
            return;
        }
        var session = TapHttp.Owner(http) is null ? null : Sessions.SessionHttp.GetSessionId(http);
        var credentials = session is null ? null : await UserCredentials.SessionCredentials.ForRequestAsync(http);
        var answer = await links.LinksAsync(ids, session, http.RequestAborted, credentials);
        // Files that need the session's (or the broker's) credentials: the broker's download links, which fetch with them.
        var rows = http.RequestServices.GetRequiredService<UserCredentials.RestrictedDownloads>().HandOut(http, session, credentials, answer.Rows);
        await TapHttp.BytesAsync(http, StatusCodes.Status200OK, LinksDocument.Write(rows, answer.Descriptors), LinksDocument.ContentType);
    }

    private static bool IsDataLinkFormat(string format)
    {
        var f = format.Trim().ToLowerInvariant();
        return f is "votable" or "application/x-votable+xml" or "text/xml" || f.Replace(" ", "", StringComparison.Ordinal) == LinksDocument.ContentType;
    }
}
