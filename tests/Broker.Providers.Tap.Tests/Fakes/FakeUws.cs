using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Broker.Providers.Tap.Tests.Fakes;

/// <summary>How a fake job behaves.</summary>
public enum JobScript
{
    /// <summary>EXECUTING for <see cref="FakeUws.PollsBeforeEnd"/> polls, then COMPLETED.</summary>
    Complete,
    /// <summary>EXECUTING, then ERROR with a message.</summary>
    Fail,
    /// <summary>EXECUTING forever.</summary>
    Never,
}

/// <summary>A UWS 1.1 job resource on a <see cref="FakeTapServer"/> (/tap/async), writing the uws namespace with a non-standard prefix.</summary>
public sealed class FakeUws
{
    private readonly ConcurrentDictionary<string, (string Phase, int Polls)> _jobs = new();
    private int _next;

    public FakeUws(FakeTapServer server, JobScript script, Answer result, bool relativeLocation = false, bool runOnCreate = true)
    {
        Script = script;
        server.On("POST /tap/async", (ctx, req) =>
        {
            var id = "job" + Interlocked.Increment(ref _next);
            var run = runOnCreate && string.Equals(req["PHASE"], "RUN", StringComparison.OrdinalIgnoreCase);
            _jobs[id] = (run ? "EXECUTING" : "PENDING", 0);
            ctx.Response.StatusCode = 303;
            ctx.Response.Headers.Location = relativeLocation ? $"async/{id}" : new Uri(server.Root, $"tap/async/{id}").AbsoluteUri;
            return Task.CompletedTask;
        });
        server.On("POST /tap/async/*", (ctx, req) =>
        {
            var id = req.Path.Split('/')[3];
            if (req.Path.EndsWith("/phase", StringComparison.Ordinal) && req["PHASE"] == "RUN" && _jobs.TryGetValue(id, out var j))
                _jobs[id] = ("EXECUTING", j.Polls);
            ctx.Response.StatusCode = 303;
            ctx.Response.Headers.Location = new Uri(server.Root, $"tap/async/{id}").AbsoluteUri;
            return Task.CompletedTask;
        });
        server.On("GET /tap/async/*", async (ctx, req) =>
        {
            var parts = req.Path.Split('/');
            var id = parts[3];
            if (!_jobs.TryGetValue(id, out var job))
            {
                ctx.Response.StatusCode = 404;
                return;
            }
            if (parts.Length > 4)
            {
                await (job.Phase == "COMPLETED" ? result : Answer.Text(404, "no result")).WriteAsync(ctx);
                return;
            }
            if (job.Phase == "EXECUTING")
            {
                job.Polls++;
                if (job.Polls > PollsBeforeEnd && Script != JobScript.Never) job.Phase = Script == JobScript.Complete ? "COMPLETED" : "ERROR";
                _jobs[id] = job;
            }
            await Answer.Xml(JobXml(server, id, job.Phase)).WriteAsync(ctx);
        });
        server.On("DELETE /tap/async/*", (ctx, req) =>
        {
            _jobs.TryRemove(req.Path.Split('/')[3], out _);
            ctx.Response.StatusCode = 303;
            ctx.Response.Headers.Location = new Uri(server.Root, "tap/async").AbsoluteUri;
            return Task.CompletedTask;
        });
    }

    public JobScript Script { get; }
    public int PollsBeforeEnd { get; init; } = 2;
    public int LiveJobs => _jobs.Count;
    /// <summary>Where the job document says its result is (default: the server itself), for hostile providers.</summary>
    public Uri? ResultRoot { get; init; }

    private string JobXml(FakeTapServer server, string id, string phase)
    {
        var results = phase == "COMPLETED"
            ? $"<w:result id=\"result\" xlink:href=\"{new Uri(ResultRoot ?? server.Root, $"tap/async/{id}/results/result").AbsoluteUri}\"/>"
            : "";
        var error = phase == "ERROR"
            ? "<w:errorSummary type=\"fatal\" hasDetail=\"false\"><w:message>column wavemin does not exist</w:message></w:errorSummary>"
            : "";
        return $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <w:job xmlns:w="http://www.ivoa.net/xml/UWS/v1.0" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1">
              <w:jobId>{id}</w:jobId><w:phase>{phase}</w:phase>
              <w:results>{results}</w:results>{error}
            </w:job>
            """;
    }
}
