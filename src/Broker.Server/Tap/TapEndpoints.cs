using System.Globalization;
using Broker.Core.Search;
using Broker.Registry.Jobs;
using Broker.Server.Rest;
using Broker.TapService;
using Broker.TapService.Query;
using Broker.TapService.Schema;
using Broker.TapService.Uws;
using Broker.TapService.Vosi;
using Broker.VoTable;

namespace Broker.Server.Tap;

/// <summary>
/// The broker as an IVOA TAP 1.1 service at <c>/tap</c> over all providers: sync and async (UWS 1.1) queries, VOSI
/// capabilities/availability/tables, DALI examples. The protocol lives in Broker.TapService; this file is HTTP only.
/// </summary>
public static class TapEndpoints
{
    private static readonly DateTimeOffset StartedAt = DateTimeOffset.UtcNow;

    /// <summary>Registers the TAP service (query runner, jobs and the job executor).</summary>
    public static IServiceCollection AddTapService(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection("Tap").Get<TapServiceOptions>() ?? new TapServiceOptions());
        services.AddSingleton<TapQueryRunner>();
        services.AddSingleton<TapJobs>();
        services.AddSingleton<Broker.TapService.DataLink.RecordLinks>();
        services.AddSingleton<Broker.TapService.DataLink.ProviderLinksReader>();
        services.AddHostedService<TapJobExecutor>();
        return services;
    }

    public static IEndpointRouteBuilder MapTapService(this IEndpointRouteBuilder app)
    {
        var tap = app.MapGroup("/tap").WithTags("TAP").AnswerJobStoreFailures();
        tap.MapGet("", (HttpContext http) => TapHttp.BytesAsync(http, 200, System.Text.Encoding.UTF8.GetBytes(
                $"<html><head><title>VSO broker TAP service</title></head><body><h1>VSO broker TAP service</h1><p>One ADQL query over every provider " +
                "of the broker. Tables: vso.records, ivoa.obscore, vso.providers, TAP_SCHEMA. Resources: sync, async, capabilities, availability, " +
                "tables, examples.</p></body></html>"), "text/html; charset=utf-8"))
            .WithSummary("About the TAP service");
        tap.MapMethods("/sync", ["GET", "POST"], (HttpContext http, TapQueryRunner runner) => SyncAsync(http, runner, headOnly: false))
            .WithSummary("Synchronous ADQL query (LANG, QUERY, RESPONSEFORMAT/FORMAT, MAXREC)");
        tap.MapMethods("/sync", ["HEAD"], (HttpContext http, TapQueryRunner runner) => SyncAsync(http, runner, headOnly: true))
            .WithSummary("Counts only: the REST API's VSO-Count-* and VSO-Truncated headers for the query's fan-out, no records");
        tap.MapGet("/capabilities", (HttpContext http, TapServiceOptions options, SearchEngine engine) =>
                TapHttp.BytesAsync(http, 200, VosiDocuments.Capabilities(TapHttp.ServiceUrl(http), Math.Min(options.DefaultMaxRec, engine.Options.MaxLimit), engine.Options.MaxLimit), TapHttp.XmlType))
            .WithSummary("VOSI capabilities (TAPRegExt)");
        tap.MapGet("/availability", (HttpContext http, IProviderCatalog catalog) => AvailabilityAsync(http, catalog))
            .WithSummary("VOSI availability");
        tap.MapGet("/tables", TablesAsync).WithSummary("VOSI tableset (detail=min; TAP+ only_tables, tables=)");
        tap.MapGet("/tables/{name}", (HttpContext http, string name) => TableAsync(http, name)).WithSummary("VOSI description of one table");
        tap.MapGet("/examples", (HttpContext http) => TapHttp.BytesAsync(http, 200, ExamplesDocument.Write(), "application/xhtml+xml; charset=utf-8"))
            .WithSummary("DALI examples (XHTML + RDFa)");
        foreach (var vosi in new[] { "/capabilities", "/availability", "/tables", "/examples" })
            tap.MapMethods(vosi, ["POST", "PUT", "DELETE"], (HttpContext http) => TapHttp.TextAsync(http, 405, "Method not allowed.\n")).ExcludeFromDescription();
        TapAsyncEndpoints.Map(tap);
        TapLoginEndpoints.Map(tap);
        TapLinksEndpoints.Map(tap);
        return app;
    }

    private static async Task SyncAsync(HttpContext http, TapQueryRunner runner, bool headOnly)
    {
        if (await TapHttp.ReadParametersAsync(http) is not { } p) return;
        var format = p["RESPONSEFORMAT"] ?? p["FORMAT"];
        TapResult result;
        try
        {
            var bypass = http.Request.Headers.CacheControl.Any(v => v is not null && v.Contains("no-cache", StringComparison.OrdinalIgnoreCase));
            result = await runner.RunAsync(new TapRequest(p, TapHttp.ServiceUrl(http), Sessions.SessionHttp.GetSessionId(http), bypass,
                await UserCredentials.SessionCredentials.ForRequestAsync(http), () => Sessions.SessionHttp.MarkStoreUnavailable(http),
                Sessions.SessionHttp.IsStoreUnavailable(http)), http.RequestAborted);
        }
        catch (TapQueryException ex)
        {
            await TapHttp.BytesAsync(http, StatusCodes.Status400BadRequest, VoTableWriter.CreateErrorDocument(ex.Message), TapHttp.VoTableType);
            return;
        }
        TableWriters.TryParseFormat(format, out var tableFormat);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = TableWriters.GetContentType(tableFormat, format);
        if (result.Search is { } search) SearchApi.WriteCountHeaders(http.Response, search);
        if (headOnly) return;
        await result.WriteAsync(format, http.Response.Body, http.RequestAborted);
    }

    private static Task AvailabilityAsync(HttpContext http, IProviderCatalog catalog)
    {
        var all = catalog.Current.All;
        var healthy = all.Count(p => p.IsHealthy && !p.IsCircuitOpen);
        var note = $"{healthy.ToString(CultureInfo.InvariantCulture)} of {all.Count.ToString(CultureInfo.InvariantCulture)} providers healthy";
        return TapHttp.BytesAsync(http, 200, VosiDocuments.Availability(true, StartedAt, note), TapHttp.XmlType);
    }

    /// <summary>
    /// The tableset. TAP+ parameters (astroquery's TapPlus): <c>only_tables</c> (no columns), <c>tables=s.t,…</c> (a
    /// selection) and <c>share_accessible</c>; those requests also get the <c>esatapplus:</c> attributes TapPlus needs.
    /// TapPlus's plain <c>/tables</c> carries no TAP+ parameter, but it is the one client that sends no User-Agent
    /// (Python's bare http.client); validators, browsers, pyvo and STILTS all send one and get the plain VOSI document.
    /// </summary>
    private static Task TablesAsync(HttpContext http)
    {
        var q = http.Request.Query;
        var esa = q.ContainsKey("only_tables") || q.ContainsKey("tables") || q.ContainsKey("share_accessible")
            || string.IsNullOrEmpty(http.Request.Headers.UserAgent);
        var detail = string.Equals(q["detail"], "min", StringComparison.OrdinalIgnoreCase) || string.Equals(q["only_tables"], "true", StringComparison.OrdinalIgnoreCase)
            ? VosiDocuments.Detail.Min : VosiDocuments.Detail.Full;
        var selected = q["tables"].ToString() is { Length: > 0 } list
            ? list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase)
            : null;
        var bytes = VosiDocuments.Tables(TapMetadata.Default, detail, esaFlags: esa,
            filter: selected is null ? null : t => selected.Contains(t.Name) || selected.Contains(t.BareName));
        return TapHttp.BytesAsync(http, 200, bytes, TapHttp.XmlType);
    }

    private static Task TableAsync(HttpContext http, string name) => TapMetadata.Default.Find(name) is { } table
        ? TapHttp.BytesAsync(http, 200, VosiDocuments.Tables(TapMetadata.Default, VosiDocuments.Detail.Full, table), TapHttp.XmlType)
        : TapHttp.TextAsync(http, 404, $"Unknown table '{name}'.\n");
}
