using System.Globalization;
using Broker.Registry.Jobs;
using Broker.TapService;
using Broker.TapService.Uws;
using Broker.VoTable;

namespace Broker.Server.Tap;

/// <summary>The UWS 1.1 REST binding of <see cref="TapJobs"/> at <c>/tap/async</c>.</summary>
internal static class TapAsyncEndpoints
{
    public static void Map(RouteGroupBuilder tap)
    {
        tap.MapGet("/async", ListAsync).WithSummary("The caller's jobs (UWS; PHASE, AFTER, LAST filters)");
        tap.MapPost("/async", CreateAsync).WithSummary("Creates a job (303 to it); PHASE=RUN starts it at once");
        tap.MapGet("/async/{id}", GetJobAsync).WithSummary("The job document (WAIT=s blocks until the phase changes)");
        tap.MapPost("/async/{id}", PostJobAsync).WithSummary("ACTION=DELETE, PHASE=RUN|ABORT, or parameters");
        tap.MapDelete("/async/{id}", (HttpContext http, TapJobs jobs, string id) => DeleteAsync(http, jobs, id)).WithSummary("Deletes the job (303 to the job list)");
        tap.MapGet("/async/{id}/phase", (HttpContext http, TapJobs jobs, string id) => TextOfAsync(http, jobs, id, j => UwsDocuments.Phase(j.Phase)));
        tap.MapPost("/async/{id}/phase", PostPhaseAsync);
        tap.MapGet("/async/{id}/quote", (HttpContext http, TapJobs jobs, string id) => TextOfAsync(http, jobs, id, _ => string.Empty));
        tap.MapGet("/async/{id}/owner", (HttpContext http, TapJobs jobs, string id) => TextOfAsync(http, jobs, id, j => j.Owner ?? string.Empty));
        tap.MapGet("/async/{id}/executionduration", (HttpContext http, TapJobs jobs, string id) => TextOfAsync(http, jobs, id, UwsDocuments.ExecutionDuration));
        tap.MapPost("/async/{id}/executionduration", (HttpContext http, TapJobs jobs, string id) =>
            ChangeAsync(http, jobs, id, (p, owner, ct) => jobs.SetExecutionDurationAsync(id, owner, p["EXECUTIONDURATION"], ct)));
        tap.MapGet("/async/{id}/destruction", (HttpContext http, TapJobs jobs, string id) => TextOfAsync(http, jobs, id, UwsDocuments.Destruction));
        tap.MapPost("/async/{id}/destruction", (HttpContext http, TapJobs jobs, string id) =>
            ChangeAsync(http, jobs, id, (p, owner, ct) => jobs.SetDestructionAsync(id, owner, p["DESTRUCTION"], ct)));
        tap.MapGet("/async/{id}/parameters", (HttpContext http, TapJobs jobs, string id) => DocumentAsync(http, jobs, id, (j, _) => UwsDocuments.Parameters(j)));
        tap.MapPost("/async/{id}/parameters", (HttpContext http, TapJobs jobs, string id) =>
            ChangeAsync(http, jobs, id, (p, owner, ct) => jobs.AddParametersAsync(id, owner, p, ct)));
        tap.MapGet("/async/{id}/results", (HttpContext http, TapJobs jobs, string id) =>
            DocumentAsync(http, jobs, id, (j, url) => UwsDocuments.Results(j, url, ResultType(j))));
        tap.MapGet("/async/{id}/results/result", ResultAsync);
        tap.MapGet("/async/{id}/error", ErrorAsync);
    }

    private static string AsyncUrl(HttpContext http) => TapHttp.ServiceUrl(http) + "/async";

    private static string JobUrl(HttpContext http, string id) => AsyncUrl(http) + "/" + id;

    private static string? ResultType(BrokerJob job)
    {
        var format = job.Parameters.GetValueOrDefault("responseformat") ?? job.Parameters.GetValueOrDefault("format");
        return TableWriters.TryParseFormat(format, out var f) ? TableWriters.GetContentType(f, format) : null;
    }

    private static async Task ListAsync(HttpContext http, TapJobs jobs)
    {
        var q = http.Request.Query;
        IReadOnlyList<BrokerJob> list;
        try
        {
            list = await jobs.ListAsync(TapHttp.Owner(http), q["PHASE"].Where(v => v is not null).Select(v => v!).ToList(),
                q["AFTER"].FirstOrDefault(), q["LAST"].FirstOrDefault(), http.RequestAborted);
        }
        catch (ArgumentException ex)
        {
            await TapHttp.TextAsync(http, 400, ex.Message + "\n");
            return;
        }
        await TapHttp.BytesAsync(http, 200, UwsDocuments.JobList(list, AsyncUrl(http)), TapHttp.XmlType);
    }

    private static async Task CreateAsync(HttpContext http, TapJobs jobs)
    {
        if (await TapHttp.ReadParametersAsync(http) is not { } p) return;
        var bookkeeping = http.RequestServices.GetService<UserCredentials.SessionJobCredentials>() is { } credentials
            ? await credentials.BookkeepingAsync(http) : null;
        var job = await jobs.CreateAsync(p, TapHttp.Owner(http), TapHttp.ServiceUrl(http), http.RequestAborted, bookkeeping);
        TapHttp.SeeOther(http, JobUrl(http, job.Id));
    }

    private static async Task GetJobAsync(HttpContext http, TapJobs jobs, string id)
    {
        var owner = TapHttp.Owner(http);
        BrokerJob? job;
        if (http.Request.Query["WAIT"].FirstOrDefault() is { } wait)
        {
            if (!int.TryParse(wait, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
            {
                await TapHttp.TextAsync(http, 400, $"WAIT must be an integer number of seconds, not '{wait}'.\n");
                return;
            }
            job = await jobs.WaitAsync(id, owner, seconds, http.Request.Query["PHASE"].FirstOrDefault(), http.RequestAborted);
        }
        else
        {
            job = await jobs.GetAsync(id, owner, http.RequestAborted);
        }
        if (job is null)
        {
            await NotFoundAsync(http, id);
            return;
        }
        await TapHttp.BytesAsync(http, 200, UwsDocuments.Job(job, JobUrl(http, id), ResultType(job)), TapHttp.XmlType);
    }

    private static async Task PostJobAsync(HttpContext http, TapJobs jobs, string id)
    {
        if (await TapHttp.ReadParametersAsync(http) is not { } p) return;
        var owner = TapHttp.Owner(http);
        if (string.Equals(p["ACTION"], "DELETE", StringComparison.OrdinalIgnoreCase))
        {
            await DeleteAsync(http, jobs, id);
            return;
        }
        var outcome = p["PHASE"] is { } phase
            ? await jobs.ChangePhaseAsync(id, owner, phase, http.RequestAborted)
            : await jobs.AddParametersAsync(id, owner, p, http.RequestAborted);
        await AnswerAsync(http, id, outcome);
    }

    private static async Task PostPhaseAsync(HttpContext http, TapJobs jobs, string id)
    {
        if (await TapHttp.ReadParametersAsync(http) is not { } p) return;
        await AnswerAsync(http, id, await jobs.ChangePhaseAsync(id, TapHttp.Owner(http), p["PHASE"], http.RequestAborted));
    }

    private static async Task DeleteAsync(HttpContext http, TapJobs jobs, string id)
    {
        if (await jobs.DeleteAsync(id, TapHttp.Owner(http), http.RequestAborted) == JobActionOutcome.NotFound)
        {
            await NotFoundAsync(http, id);
            return;
        }
        TapHttp.SeeOther(http, AsyncUrl(http));
    }

    private static async Task ChangeAsync(HttpContext http, TapJobs jobs, string id, Func<TapParameters, string?, CancellationToken, Task<JobActionOutcome>> change)
    {
        if (await TapHttp.ReadParametersAsync(http) is not { } p) return;
        await AnswerAsync(http, id, await change(p, TapHttp.Owner(http), http.RequestAborted));
    }

    private static Task AnswerAsync(HttpContext http, string id, JobActionOutcome outcome)
    {
        switch (outcome)
        {
            case JobActionOutcome.Done:
                TapHttp.SeeOther(http, JobUrl(http, id));
                return Task.CompletedTask;
            case JobActionOutcome.NotFound:
                return NotFoundAsync(http, id);
            case JobActionOutcome.NotAllowed:
                return TapHttp.TextAsync(http, 403, "This action is not allowed in the job's current phase.\n");
            default:
                return TapHttp.TextAsync(http, 400, "Unsupported value: PHASE takes RUN or ABORT, EXECUTIONDURATION whole seconds, DESTRUCTION an ISO 8601 time.\n");
        }
    }

    private static async Task TextOfAsync(HttpContext http, TapJobs jobs, string id, Func<BrokerJob, string> text)
    {
        var job = await jobs.GetAsync(id, TapHttp.Owner(http), http.RequestAborted);
        if (job is null) await NotFoundAsync(http, id);
        else await TapHttp.TextAsync(http, 200, text(job));
    }

    private static async Task DocumentAsync(HttpContext http, TapJobs jobs, string id, Func<BrokerJob, string, byte[]> document)
    {
        var job = await jobs.GetAsync(id, TapHttp.Owner(http), http.RequestAborted);
        if (job is null) await NotFoundAsync(http, id);
        else await TapHttp.BytesAsync(http, 200, document(job, JobUrl(http, id)), TapHttp.XmlType);
    }

    private static async Task ResultAsync(HttpContext http, TapJobs jobs, string id)
    {
        var result = await jobs.GetResultAsync(id, TapHttp.Owner(http), http.RequestAborted);
        if (result is null) await TapHttp.TextAsync(http, 404, $"Job {id} has no result (unknown, not finished, or failed).\n");
        else await TapHttp.BytesAsync(http, 200, result.Body, result.ContentType);
    }

    /// <summary>A failed job's error as a VOTable with QUERY_STATUS=ERROR (200); 404 for any other phase.</summary>
    private static async Task ErrorAsync(HttpContext http, TapJobs jobs, string id)
    {
        var job = await jobs.GetAsync(id, TapHttp.Owner(http), http.RequestAborted);
        if (job is not { Phase: JobPhase.Error }) await TapHttp.TextAsync(http, 404, $"Job {id} has no error.\n");
        else await TapHttp.BytesAsync(http, 200, VoTableWriter.CreateErrorDocument(job.ErrorSummary ?? "the job failed"), TapHttp.VoTableType);
    }

    private static Task NotFoundAsync(HttpContext http, string id) => TapHttp.TextAsync(http, 404, $"No job {id}.\n");
}
