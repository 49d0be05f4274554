using System.Globalization;
using System.Xml;
using Broker.TapService.Vosi;
using Shared = Broker.TapService.Uws;

namespace Broker.Simulators.Uws;

/// <summary>UWS 1.1 documents with the literal <c>uws:</c> prefix (astroquery compares raw qnames).</summary>
internal static class UwsXml
{
    public const string Ns = Shared.UwsXml.Ns;
    private const string XLink = Shared.UwsXml.XLink;

    public static string Time(DateTime t) => XmlDocuments.Time(new DateTimeOffset(t.ToUniversalTime(), TimeSpan.Zero));

    private static DateTimeOffset? Utc(DateTime? t) => t is { } v ? new DateTimeOffset(v.ToUniversalTime(), TimeSpan.Zero) : null;

    public static byte[] Job(UwsJob job, string jobUrl)
    {
        return XmlDocuments.Write(w =>
        {
            Shared.UwsXml.Root(w, "job");
            string phase;
            DateTime? start, end;
            string? error;
            bool hasResult;
            lock (job.Gate)
            {
                phase = job.Phase;
                start = job.StartTime;
                end = job.EndTime;
                error = job.ErrorMessage;
                hasResult = job.Result is not null;
            }

            w.WriteElementString("uws", "jobId", Ns, job.Id);
            if (job.Parameters.TryGetValue("runid", out var runId)) w.WriteElementString("uws", "runId", Ns, runId);
            Shared.UwsXml.Nil(w, "ownerId");
            w.WriteElementString("uws", "phase", Ns, phase);
            Shared.UwsXml.Nil(w, "quote");
            w.WriteElementString("uws", "creationTime", Ns, Time(job.CreationTime));
            Shared.UwsXml.TimeOrNil(w, "startTime", Utc(start));
            Shared.UwsXml.TimeOrNil(w, "endTime", Utc(end));
            w.WriteElementString("uws", "executionDuration", Ns, job.ExecutionDuration.ToString(CultureInfo.InvariantCulture));
            w.WriteElementString("uws", "destruction", Ns, Time(job.Destruction));
            WriteParameters(w, job);
            w.WriteStartElement("uws", "results", Ns);
            if (hasResult)
            {
                w.WriteStartElement("uws", "result", Ns);
                w.WriteAttributeString("id", "result");
                w.WriteAttributeString("xlink", "href", XLink, jobUrl + "/results/result");
                w.WriteAttributeString("mime-type", "application/x-votable+xml");
                w.WriteEndElement();
            }

            w.WriteEndElement();
            if (error is not null)
            {
                w.WriteStartElement("uws", "errorSummary", Ns);
                w.WriteAttributeString("type", "fatal");
                w.WriteAttributeString("hasDetail", "true");
                w.WriteElementString("uws", "message", Ns, error);
                w.WriteEndElement();
            }

            w.WriteEndElement();
        });
    }

    public static byte[] JobList(IEnumerable<UwsJob> jobs, string asyncUrl) => XmlDocuments.Write(w =>
    {
        Shared.UwsXml.Root(w, "jobs");
        foreach (var job in jobs)
        {
            w.WriteStartElement("uws", "jobref", Ns);
            w.WriteAttributeString("id", job.Id);
            w.WriteAttributeString("xlink", "href", XLink, asyncUrl + "/" + job.Id);
            w.WriteElementString("uws", "phase", Ns, job.Phase);
            if (job.Parameters.TryGetValue("runid", out var runId)) w.WriteElementString("uws", "runId", Ns, runId);
            Shared.UwsXml.Nil(w, "ownerId");
            w.WriteElementString("uws", "creationTime", Ns, Time(job.CreationTime));
            w.WriteEndElement();
        }

        w.WriteEndElement();
    });

    public static byte[] Results(UwsJob job, string jobUrl) => XmlDocuments.Write(w =>
    {
        w.WriteStartElement("uws", "results", Ns);
        w.WriteAttributeString("xmlns", "xlink", null, XLink);
        if (job.Result is not null)
        {
            w.WriteStartElement("uws", "result", Ns);
            w.WriteAttributeString("id", "result");
            w.WriteAttributeString("xlink", "href", XLink, jobUrl + "/results/result");
            w.WriteEndElement();
        }

        w.WriteEndElement();
    });

    public static byte[] Parameters(UwsJob job) => XmlDocuments.Write(w =>
    {
        WriteParameters(w, job);
    });

    private static void WriteParameters(XmlWriter w, UwsJob job)
    {
        w.WriteStartElement("uws", "parameters", Ns);
        foreach (var (name, value) in job.Parameters.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (name is "phase" or "action") continue;
            Shared.UwsXml.Parameter(w, name, value);
        }

        w.WriteEndElement();
    }
}
