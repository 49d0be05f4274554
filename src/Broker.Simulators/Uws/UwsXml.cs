using System.Globalization;
using System.Text;
using System.Xml;

namespace Broker.Simulators.Uws;

/// <summary>UWS 1.1 documents with the literal <c>uws:</c> prefix (astroquery compares raw qnames).</summary>
internal static class UwsXml
{
    public const string Ns = "http://www.ivoa.net/xml/UWS/v1.0";
    private const string XLink = "http://www.w3.org/1999/xlink";
    private const string Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    public static string Time(DateTime t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static byte[] Job(UwsJob job, string jobUrl)
    {
        return Write(w =>
        {
            Root(w, "job");
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
            Nil(w, "ownerId");
            w.WriteElementString("uws", "phase", Ns, phase);
            Nil(w, "quote");
            w.WriteElementString("uws", "creationTime", Ns, Time(job.CreationTime));
            TimeOrNil(w, "startTime", start);
            TimeOrNil(w, "endTime", end);
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

    public static byte[] JobList(IEnumerable<UwsJob> jobs, string asyncUrl) => Write(w =>
    {
        Root(w, "jobs");
        foreach (var job in jobs)
        {
            w.WriteStartElement("uws", "jobref", Ns);
            w.WriteAttributeString("id", job.Id);
            w.WriteAttributeString("xlink", "href", XLink, asyncUrl + "/" + job.Id);
            w.WriteElementString("uws", "phase", Ns, job.Phase);
            if (job.Parameters.TryGetValue("runid", out var runId)) w.WriteElementString("uws", "runId", Ns, runId);
            Nil(w, "ownerId");
            w.WriteElementString("uws", "creationTime", Ns, Time(job.CreationTime));
            w.WriteEndElement();
        }

        w.WriteEndElement();
    });

    public static byte[] Results(UwsJob job, string jobUrl) => Write(w =>
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

    public static byte[] Parameters(UwsJob job) => Write(w =>
    {
        WriteParameters(w, job);
    });

    private static void WriteParameters(XmlWriter w, UwsJob job)
    {
        w.WriteStartElement("uws", "parameters", Ns);
        foreach (var (name, value) in job.Parameters.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (name is "phase" or "action") continue;
            w.WriteStartElement("uws", "parameter", Ns);
            w.WriteAttributeString("id", name);
            w.WriteString(value);
            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    private static void Root(XmlWriter w, string name)
    {
        w.WriteStartElement("uws", name, Ns);
        w.WriteAttributeString("xmlns", "xlink", null, XLink);
        w.WriteAttributeString("xmlns", "xsi", null, Xsi);
        w.WriteAttributeString("version", "1.1");
    }

    private static void Nil(XmlWriter w, string name)
    {
        w.WriteStartElement("uws", name, Ns);
        w.WriteAttributeString("xsi", "nil", Xsi, "true");
        w.WriteEndElement();
    }

    private static void TimeOrNil(XmlWriter w, string name, DateTime? value)
    {
        if (value is { } t) w.WriteElementString("uws", name, Ns, Time(t));
        else Nil(w, name);
    }

    internal static byte[] Write(Action<XmlWriter> body)
    {
        using var ms = new MemoryStream();
        using (var w = XmlWriter.Create(ms, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            w.WriteStartDocument();
            body(w);
            w.WriteEndDocument();
        }

        return ms.ToArray();
    }
}
