using System.Net;
using System.Xml.Linq;
using Broker.Testing;

namespace Broker.Simulators.Tests.Uws;

public sealed class AsyncJobTests(SimulatorFixture sim) : IClassFixture<SimulatorFixture>
{
    private static readonly XNamespace Uws = "http://www.ivoa.net/xml/UWS/v1.0";

    private async Task<string> CreateAsync(string provider, string query, bool run)
    {
        var form = new Dictionary<string, string> { ["LANG"] = "ADQL", ["QUERY"] = query };
        if (run) form["PHASE"] = "RUN";
        var response = await sim.Http.PostAsync(sim.Running.BaseUrl(provider) + "/async", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.True(location.IsAbsoluteUri);
        return location.ToString();
    }

    private async Task<XDocument> JobAsync(string jobUrl, string query = "")
    {
        var response = await sim.Http.GetAsync(jobUrl + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return XDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static string Phase(XDocument job) => job.Root!.Element(Uws + "phase")!.Value;

    /// <summary>
    /// The job document once its phase is <paramref name="until"/>-true. A WAIT answers at the job's next phase change
    /// (UWS 1.1), so one WAIT on a job that is still QUEUED when the request arrives — its run not yet picked up, as
    /// on a loaded machine — answers EXECUTING: a client repeats the WAIT.
    /// </summary>
    private async Task<XDocument> WaitForPhaseAsync(string jobUrl, Func<string, bool> until, string wait = "?WAIT=30")
    {
        XDocument job = null!;
        await Wait.UntilAsync(async () => until(Phase(job = await JobAsync(jobUrl, wait))), TimeSpan.FromMinutes(2), $"job {jobUrl} to change phase");
        return job;
    }

    private Task<XDocument> FinishedAsync(string jobUrl) => WaitForPhaseAsync(jobUrl, phase => phase is "COMPLETED" or "ERROR" or "ABORTED");

    [Fact]
    public async Task Async_FullLifecycle_PendingRunCompleteResultDelete()
    {
        var before = sim.Running.Calls("sdo");
        var jobUrl = await CreateAsync("sdo", "SELECT TOP 5 obs_publisher_did FROM ivoa.obscore", run: false);

        var pending = await sim.Http.GetStringAsync(jobUrl + "/phase");
        var run = await sim.Http.PostAsync(jobUrl + "/phase", new FormUrlEncodedContent([KeyValuePair.Create("PHASE", "RUN")]));
        var done = await FinishedAsync(jobUrl);
        var result = await SimulatorFixture.ReadTableAsync(await sim.Http.GetAsync(jobUrl + "/results/result"));
        var delete = await sim.Http.DeleteAsync(jobUrl);
        var after = await sim.Http.GetAsync(jobUrl);
        var calls = sim.Running.Calls("sdo");

        Assert.Equal("PENDING", pending);
        Assert.Equal(HttpStatusCode.SeeOther, run.StatusCode);
        Assert.Equal("COMPLETED", Phase(done));
        Assert.Equal("uws", done.Root!.GetPrefixOfNamespace(Uws));
        Assert.Equal(5, result.Rows.Count);
        Assert.Equal(HttpStatusCode.SeeOther, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        Assert.Equal(before.AsyncJobsCreated + 1, calls.AsyncJobsCreated);
        Assert.Equal(before.JobsDeleted + 1, calls.JobsDeleted);
        Assert.DoesNotContain(jobUrl[(jobUrl.LastIndexOf('/') + 1)..], calls.AliveJobs);
    }

    [Fact]
    public async Task Async_PhaseRunInCreation_RunsAtOnceAndListsResult()
    {
        var jobUrl = await CreateAsync("soar", "SELECT * FROM v_sc_data_item WHERE instrument='MAG' AND begin_time>='2023-04-01' AND begin_time<'2023-04-10'", run: true);
        var job = await FinishedAsync(jobUrl);
        var results = XDocument.Parse(await sim.Http.GetStringAsync(jobUrl + "/results"));

        Assert.Equal("COMPLETED", Phase(job));
        Assert.EndsWith("/results/result", results.Root!.Element(Uws + "result")!.Attribute(XName.Get("href", "http://www.w3.org/1999/xlink"))!.Value, StringComparison.Ordinal);
        await sim.Http.DeleteAsync(jobUrl);
    }

    [Fact]
    public async Task Async_BadAdql_JobEndsInErrorWithErrorDocument()
    {
        var jobUrl = await CreateAsync("sdo", "DUFF QUERY", run: true);
        var job = await FinishedAsync(jobUrl);
        var error = await sim.Http.GetAsync(jobUrl + "/error");
        var resultMissing = await sim.Http.GetAsync(jobUrl + "/results/result");

        Assert.Equal("ERROR", Phase(job));
        Assert.NotNull(job.Root!.Element(Uws + "errorSummary"));
        Assert.Equal(HttpStatusCode.OK, error.StatusCode);
        Assert.Contains("value=\"ERROR\"", await error.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, resultMissing.StatusCode);
        await sim.Http.DeleteAsync(jobUrl);
    }

    [Fact]
    public async Task Async_SlowJob_StaysExecutingThenCompletes()
    {
        sim.Running.SetFault("nrh", new FaultSpec { JobDuration = TimeSpan.FromSeconds(1) });
        try
        {
            var jobUrl = await CreateAsync("nrh", "SELECT TOP 2 granule_uid FROM nrh.epn_core", run: true);
            var early = Phase(await JobAsync(jobUrl));
            var late = Phase(await FinishedAsync(jobUrl));

            Assert.Contains(early, new[] { "QUEUED", "EXECUTING" });
            Assert.Equal("COMPLETED", late);
            await sim.Http.DeleteAsync(jobUrl);
        }
        finally
        {
            sim.Running.SetFault("nrh", FaultSpec.None);
        }
    }

    [Fact]
    public async Task Async_NeverFinishingJob_CanBeAbortedAndDeleted()
    {
        sim.Running.SetFault("bench", new FaultSpec { JobsNeverFinish = true });
        try
        {
            var jobUrl = await CreateAsync("bench", "SELECT * FROM ivoa.obscore", run: true);
            await WaitForPhaseAsync(jobUrl, phase => phase != "QUEUED", "?WAIT=30&PHASE=QUEUED");
            var waited = Phase(await JobAsync(jobUrl, "?WAIT=1"));
            var id = jobUrl[(jobUrl.LastIndexOf('/') + 1)..];
            Assert.Contains(id, sim.Running.Calls("bench").ActiveJobs);

            var abort = await sim.Http.PostAsync(jobUrl + "/phase", new FormUrlEncodedContent([KeyValuePair.Create("PHASE", "ABORT")]));
            var aborted = Phase(await JobAsync(jobUrl));
            var delete = await sim.Http.PostAsync(jobUrl, new FormUrlEncodedContent([KeyValuePair.Create("ACTION", "DELETE")]));

            Assert.Equal("EXECUTING", waited);
            Assert.Equal(HttpStatusCode.SeeOther, abort.StatusCode);
            Assert.Equal("ABORTED", aborted);
            Assert.Equal(HttpStatusCode.SeeOther, delete.StatusCode);
            Assert.DoesNotContain(id, sim.Running.Calls("bench").AliveJobs);
        }
        finally
        {
            sim.Running.SetFault("bench", FaultSpec.None);
        }
    }

    [Fact]
    public async Task Async_UnknownJob_Returns404()
    {
        var response = await sim.Http.GetAsync(sim.Running.BaseUrl("sdo") + "/async/no-such-job");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
