using Broker.Core.Providers;
using Broker.Core.Search;
using Broker.Core.Services;
using Broker.Core.Validation;
using Broker.Server.OpenApi;
using Broker.Server.Sessions;
using Broker.Server.UserCredentials;

namespace Broker.Server.Rest;

/// <summary>
/// <c>POST /api/v1/getdata</c>: file ids grouped by provider (or bare ids, routed through the session's stored
/// results) → a URL and a status per file id; <c>verify=true</c> checks each URL really serves data.
/// </summary>
public static class GetDataApi
{
    public sealed record FileGroupBody(string? Provider, IReadOnlyList<string>? FileIds);
    public sealed record GetDataBody(IReadOnlyList<FileGroupBody>? Files, IReadOnlyList<string>? FileIds, bool Verify = false);

    /// <summary>The answer: a URL or a reason per file id, grouped by provider; <c>unrouted</c> lists bare ids no provider could be found for.</summary>
    public sealed record GetDataAnswer(IReadOnlyList<FileGroupAnswer> Providers, IReadOnlyList<FileLocation> Unrouted);

    /// <summary>One provider's part of the answer: its files summed up (<see cref="FileGroupSummary"/>) and each file id's location.</summary>
    public sealed record FileGroupAnswer(string Id, FileGroupStatus Status, string? Message, IReadOnlyList<FileLocation> Files);

    public static IEndpointRouteBuilder MapGetDataApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/getdata", async (HttpContext http, FileResolver resolver, IRecordLookup lookup,
            IServiceProvider services, CancellationToken ct) =>
        {
            var (body, unreadable) = await ReadAsync(http);
            if (unreadable is not null) return unreadable;
            if (body is null || (body.Files is not { Count: > 0 } && body.FileIds is not { Count: > 0 }))
                return Problems.BadRequest("The request is malformed", "give 'files': [{\"provider\": …, \"fileIds\": […]}] or 'fileIds': […]");
            if (body.Files?.Any(g => g is null || string.IsNullOrWhiteSpace(g.Provider) || g.FileIds is not { Count: > 0 }) == true)
                return Problems.BadRequest("The request is malformed", "each entry of 'files' needs a provider and at least one file id");
            // Every id is checked before the session lookup and any provider call: bad ids are the caller's error.
            IReadOnlyList<string?> allIds = [.. (body.Files ?? []).SelectMany(g => g.FileIds!), .. body.FileIds ?? []];
            if (FileIdRules.Check(allIds, "fileIds") is { Count: > 0 } idErrors)
                return Problems.Invalid(new QueryValidationException(idErrors), "The file ids are not valid");

            // The session's records route bare ids, and give every id its record: a URL the search already had, and the
            // other providers of the same dataset (alsoAt) that GetData falls over to.
            var sessionId = SessionHttp.GetSessionId(http);
            var known = sessionId is null ? new Dictionary<string, Broker.Core.Model.DataRecord>()
                : await lookup.FindAsync(sessionId, allIds.OfType<string>().Distinct(StringComparer.Ordinal).ToList(), ct);
            var groups = new Dictionary<string, List<FileRequest>>(StringComparer.OrdinalIgnoreCase);
            foreach (var g in body.Files ?? [])
                Add(groups, g.Provider!, g.FileIds!.Select(id => new FileRequest(id,
                    known.TryGetValue(id, out var r) && string.Equals(r.Provider, g.Provider, StringComparison.OrdinalIgnoreCase) ? r : null)));
            var unrouted = new List<string>();
            if (body.FileIds is { Count: > 0 } bare)
            {
                foreach (var id in bare)
                {
                    if (known.TryGetValue(id, out var record)) Add(groups, record.Provider, [new FileRequest(id, record)]);
                    else unrouted.Add(id);
                }
            }

            var verifier = body.Verify ? services.GetService<IUrlVerifier>() : null;
            var credentials = await SessionCredentials.ForRequestAsync(http);
            var results = services.GetRequiredService<RestrictedDownloads>().HandOut(http, SessionHttp.GetSessionId(http), credentials,
                await resolver.ResolveAsync(groups.Select(g => new FileGroup(g.Key, g.Value)).ToList(), verifier, ct, credentials));
            return Results.Ok(new GetDataAnswer(
                results.Select(r => new FileGroupAnswer(r.ProviderId, r.Summary, r.Message, r.Files)).ToList(),
                unrouted.Select(id => new FileLocation(id, FileStatus.NotFound,
                    Detail: "no provider given and the file id is not in this session's results")).ToList()));
        }).WithTags("GetData").WithSummary("Resolve file ids to download URLs")
          .Accepts<GetDataBody>("application/json").Produces<GetDataAnswer>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
          .WithRequestExample(new GetDataBody([new FileGroupBody("soar", ["solo_L2_eui-fsi174-image_20220321T080000_V01"])], null));
        return app;
    }

    /// <summary>The body, or a problem naming what is wrong with it (the member and position a JSON error is at).</summary>
    private static async Task<(GetDataBody? Body, IResult? Problem)> ReadAsync(HttpContext http)
    {
        if (!http.Request.HasJsonContentType())
            return (null, Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: $"Content-Type '{http.Request.ContentType}' is not JSON: send the body as application/json"));
        try
        {
            return (await http.Request.ReadFromJsonAsync<GetDataBody>(http.RequestAborted), null);
        }
        catch (System.Text.Json.JsonException ex)
        {
            var where = ex.Path is { Length: > 1 } path ? $" at {path}" : "";
            return (null, Problems.BadRequest("The request is malformed",
                $"the body is not the JSON this endpoint reads{where} (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): "
                + "give {\"files\":[{\"provider\":\"…\",\"fileIds\":[\"…\"]}]} or {\"fileIds\":[\"…\"]}, \"verify\": true|false"));
        }
    }

    private static void Add(Dictionary<string, List<FileRequest>> groups, string provider, IEnumerable<FileRequest> files)
    {
        if (!groups.TryGetValue(provider, out var list)) groups[provider] = list = [];
        list.AddRange(files);
    }
}
