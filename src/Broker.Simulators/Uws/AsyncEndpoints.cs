using System.Globalization;
using Broker.Simulators.Faults;
using Broker.Simulators.Hosting;
using Broker.Simulators.Tap;
using Broker.TapService;
using Broker.VoTable;
using Microsoft.AspNetCore.Http;

namespace Broker.Simulators.Uws;

/// <summary>UWS 1.1 REST binding of /async: job list, creation (303), job document with WAIT, phase, results, error, DELETE.</summary>
internal sealed class AsyncEndpoints(SimulatedProvider provider, FaultDecision fault, TimeProvider time)
{
    private const string XmlType = "text/xml; charset=utf-8";
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    private string AsyncUrl => provider.TapBaseUrl + "/async";

    public async Task HandleAsync(HttpContext http, string[] path)
    {
        var method = http.Request.Method;
        if (path.Length == 0)
        {
            if (HttpMethods.IsPost(method)) await CreateAsync(http).ConfigureAwait(false);
            else if (HttpMethods.IsGet(method)) await ListAsync(http).ConfigureAwait(false);
            else await SimulatorRouter.Text(http, 405, "Method not allowed.\n").ConfigureAwait(false);
            return;
        }

        var job = provider.Jobs.Find(path[0]);
        if (job is null)
        {
            await SimulatorRouter.Text(http, 404, $"No job '{path[0]}'.\n").ConfigureAwait(false);
            return;
        }

        var jobUrl = AsyncUrl + "/" + job.Id;
        var resource = string.Join('/', path[1..]);
        var p = await TapRequestReader.ReadAsync(http.Request, http.RequestAborted).ConfigureAwait(false);
        switch (resource)
        {
            case "" when HttpMethods.IsDelete(method):
                await DeleteAsync(http, job).ConfigureAwait(false);
                return;
            case "" when HttpMethods.IsPost(method):
                await PostToJobAsync(http, job, p, jobUrl).ConfigureAwait(false);
                return;
            case "" when HttpMethods.IsGet(method):
                await WaitAsync(http, job, p).ConfigureAwait(false);
                await SimulatorRouter.Bytes(http, 200, UwsXml.Job(job, jobUrl), XmlType).ConfigureAwait(false);
                return;
            case "phase" when HttpMethods.IsGet(method):
                await SimulatorRouter.Text(http, 200, job.Phase).ConfigureAwait(false);
                return;
            case "phase" when HttpMethods.IsPost(method):
                await ChangePhaseAsync(http, job, p["PHASE"], jobUrl).ConfigureAwait(false);
                return;
            case "results" when HttpMethods.IsGet(method):
                await SimulatorRouter.Bytes(http, 200, UwsXml.Results(job, jobUrl), XmlType).ConfigureAwait(false);
                return;
            case "results/result" when HttpMethods.IsGet(method):
                await ResultAsync(http, job).ConfigureAwait(false);
                return;
            case "error" when HttpMethods.IsGet(method):
                if (job.Phase != Phases.Error || job.ErrorMessage is null)
                    await SimulatorRouter.Text(http, 404, "The job has no error.\n").ConfigureAwait(false);
                else
                    await SimulatorRouter.Bytes(http, 200, VoTableWriter.CreateErrorDocument(job.ErrorMessage), "application/x-votable+xml").ConfigureAwait(false);
                return;
            case "parameters" when HttpMethods.IsGet(method):
                await SimulatorRouter.Bytes(http, 200, UwsXml.Parameters(job), XmlType).ConfigureAwait(false);
                return;
            case "parameters" when HttpMethods.IsPost(method):
                if (job.Phase != Phases.Pending)
                {
                    await SimulatorRouter.Text(http, 403, "Parameters can only change while PENDING.\n").ConfigureAwait(false);
                    return;
                }

                foreach (var (k, v) in p.FirstValues()) job.Parameters[k] = v;
                SimulatorRouter.SeeOther(http, jobUrl);
                return;
            case "executionduration" when HttpMethods.IsGet(method):
                await SimulatorRouter.Text(http, 200, job.ExecutionDuration.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
                return;
            case "executionduration" when HttpMethods.IsPost(method):
                if (int.TryParse(p["EXECUTIONDURATION"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
                    job.ExecutionDuration = seconds;
                SimulatorRouter.SeeOther(http, jobUrl);
                return;
            case "destruction" when HttpMethods.IsGet(method):
                await SimulatorRouter.Text(http, 200, UwsXml.Time(job.Destruction)).ConfigureAwait(false);
                return;
            case "destruction" when HttpMethods.IsPost(method):
                if (DateTime.TryParse(p["DESTRUCTION"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d))
                    job.Destruction = d;
                SimulatorRouter.SeeOther(http, jobUrl);
                return;
            case "quote" or "owner" when HttpMethods.IsGet(method):
                await SimulatorRouter.Text(http, 200, string.Empty).ConfigureAwait(false);
                return;
            default:
                await SimulatorRouter.Text(http, 404, "Unknown job resource.\n").ConfigureAwait(false);
                return;
        }
    }

    private async Task CreateAsync(HttpContext http)
    {
        var p = await TapRequestReader.ReadAsync(http.Request, http.RequestAborted).ConfigureAwait(false);
        provider.Counters.JobCreated();
        var job = provider.Jobs.Create(p, SimulatorRouter.IsAuthorised(http));
        if (string.Equals(p["PHASE"], "RUN", StringComparison.OrdinalIgnoreCase)) provider.Jobs.Run(job);
        SimulatorRouter.SeeOther(http, AsyncUrl + "/" + job.Id);
    }

    private async Task ListAsync(HttpContext http)
    {
        var p = await TapRequestReader.ReadAsync(http.Request, http.RequestAborted).ConfigureAwait(false);
        IEnumerable<UwsJob> jobs = provider.Jobs.All;
        var phases = p.All("PHASE");
        if (phases.Count > 0) jobs = jobs.Where(j => phases.Contains(j.Phase, StringComparer.OrdinalIgnoreCase));
        if (int.TryParse(p["LAST"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var last) && last >= 0)
            jobs = jobs.OrderByDescending(j => j.CreationTime).Take(last);
        await SimulatorRouter.Bytes(http, 200, UwsXml.JobList(jobs, AsyncUrl), XmlType).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext http, UwsJob job)
    {
        if (provider.Faults.Current.RefuseJobDelete)
        {
            await SimulatorRouter.Text(http, 500, "Deleting jobs is refused (simulated fault).\n").ConfigureAwait(false);
            return;
        }
        if (provider.Jobs.Delete(job.Id)) provider.Counters.JobDeleted();
        SimulatorRouter.SeeOther(http, AsyncUrl);
    }

    private async Task PostToJobAsync(HttpContext http, UwsJob job, TapParameters p, string jobUrl)
    {
        if (string.Equals(p["ACTION"], "DELETE", StringComparison.OrdinalIgnoreCase))
        {
            await DeleteAsync(http, job).ConfigureAwait(false);
            return;
        }

        if (p["PHASE"] is { } phase)
        {
            await ChangePhaseAsync(http, job, phase, jobUrl).ConfigureAwait(false);
            return;
        }

        SimulatorRouter.SeeOther(http, jobUrl);
    }

    private async Task ChangePhaseAsync(HttpContext http, UwsJob job, string? phase, string jobUrl)
    {
        if (string.Equals(phase, "RUN", StringComparison.OrdinalIgnoreCase))
        {
            if (job.Phase == Phases.Pending) provider.Jobs.Run(job);
            SimulatorRouter.SeeOther(http, jobUrl);
        }
        else if (string.Equals(phase, "ABORT", StringComparison.OrdinalIgnoreCase))
        {
            provider.Jobs.Abort(job);
            SimulatorRouter.SeeOther(http, jobUrl);
        }
        else
        {
            await SimulatorRouter.Text(http, 400, $"Unsupported PHASE '{phase}'; use RUN or ABORT.\n").ConfigureAwait(false);
        }
    }

    /// <summary>UWS 1.1 blocking: wait while the job is active (and, with PHASE=p, still in p), at most WAIT seconds (capped at 60).</summary>
    private async Task WaitAsync(HttpContext http, UwsJob job, TapParameters p)
    {
        if (p["WAIT"] is not { } waitText || !int.TryParse(waitText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var wait)) return;
        var timeout = wait < 0 ? MaxWait : TimeSpan.FromSeconds(Math.Min(wait, MaxWait.TotalSeconds));
        var changed = job.ChangedAsync();
        var current = job.Phase;
        if (!Phases.IsActive(current) || timeout <= TimeSpan.Zero) return;
        if (p["PHASE"] is { } expected && !expected.Equals(current, StringComparison.OrdinalIgnoreCase)) return;
        try
        {
            await changed.WaitAsync(timeout, time, http.RequestAborted).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // WAIT elapsed without a phase change: answer with the current document.
        }
    }

    private async Task ResultAsync(HttpContext http, UwsJob job)
    {
        byte[]? result;
        string? contentType;
        lock (job.Gate)
        {
            result = job.Result;
            contentType = job.ResultContentType;
        }

        if (job.Phase != Phases.Completed || result is null)
        {
            await SimulatorRouter.Text(http, 404, $"The job is {job.Phase}; no result.\n").ConfigureAwait(false);
            return;
        }

        await PayloadWriter.WriteAsync(http, fault, provider.Counters, contentType!, (s, ct) => s.WriteAsync(result, ct).AsTask()).ConfigureAwait(false);
    }
}
