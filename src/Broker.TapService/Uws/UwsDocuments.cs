using System.Globalization;
using System.Xml;
using Broker.Registry.Jobs;
using Broker.TapService.Vosi;

namespace Broker.TapService.Uws;

/// <summary>
/// UWS 1.1 documents with the literal <c>uws:</c> prefix (astroquery compares raw qnames) and elements in the order
/// the UWS schema requires; unknown times are <c>xsi:nil</c>.
/// </summary>
public static class UwsDocuments
{
    public const string Ns = UwsXml.Ns;
    private const string XLink = UwsXml.XLink;

    /// <summary>The UWS name of a phase (upper case).</summary>
    public static string Phase(JobPhase phase) => phase.ToString().ToUpperInvariant();

    public static byte[] Job(BrokerJob job, string jobUrl, string? resultType) => XmlDocuments.Write(w =>
    {
        UwsXml.Root(w, "job");
        w.WriteElementString("uws", "jobId", Ns, job.Id);
        if (job.RunId is not null) w.WriteElementString("uws", "runId", Ns, job.RunId);
        if (job.Owner is not null) w.WriteElementString("uws", "ownerId", Ns, job.Owner);
        else UwsXml.Nil(w, "ownerId");
        w.WriteElementString("uws", "phase", Ns, Phase(job.Phase));
        UwsXml.Nil(w, "quote");
        w.WriteElementString("uws", "creationTime", Ns, XmlDocuments.Time(job.CreatedAt));
        UwsXml.TimeOrNil(w, "startTime", job.StartedAt);
        UwsXml.TimeOrNil(w, "endTime", job.EndedAt);
        w.WriteElementString("uws", "executionDuration", Ns, ExecutionDuration(job));
        UwsXml.TimeOrNil(w, "destruction", job.DestructionAt);
        WriteParameters(w, job);
        WriteResults(w, job, jobUrl, resultType);
        if (job.Phase == JobPhase.Error && job.ErrorSummary is not null)
        {
            w.WriteStartElement("uws", "errorSummary", Ns);
            w.WriteAttributeString("type", "fatal");
            w.WriteAttributeString("hasDetail", "true");
            w.WriteElementString("uws", "message", Ns, job.ErrorSummary);
            w.WriteEndElement();
        }
        w.WriteEndElement();
    });

    public static string ExecutionDuration(BrokerJob job) => ((long)job.ExecutionDuration.TotalSeconds).ToString(CultureInfo.InvariantCulture);

    public static string Destruction(BrokerJob job) => job.DestructionAt is { } d ? XmlDocuments.Time(d) : string.Empty;

    public static byte[] JobList(IEnumerable<BrokerJob> jobs, string asyncUrl) => XmlDocuments.Write(w =>
    {
        UwsXml.Root(w, "jobs");
        foreach (var job in jobs)
        {
            w.WriteStartElement("uws", "jobref", Ns);
            w.WriteAttributeString("id", job.Id);
            w.WriteAttributeString("xlink", "href", XLink, asyncUrl + "/" + job.Id);
            w.WriteElementString("uws", "phase", Ns, Phase(job.Phase));
            if (job.RunId is not null) w.WriteElementString("uws", "runId", Ns, job.RunId);
            if (job.Owner is not null) w.WriteElementString("uws", "ownerId", Ns, job.Owner);
            else UwsXml.Nil(w, "ownerId");
            w.WriteElementString("uws", "creationTime", Ns, XmlDocuments.Time(job.CreatedAt));
            w.WriteEndElement();
        }
        w.WriteEndElement();
    });

    public static byte[] Results(BrokerJob job, string jobUrl, string? resultType) => XmlDocuments.Write(w =>
    {
        w.WriteStartElement("uws", "results", Ns);
        w.WriteAttributeString("xmlns", "xlink", null, XLink);
        WriteResultList(w, job, jobUrl, resultType);
        w.WriteEndElement();
    });

    public static byte[] Parameters(BrokerJob job) => XmlDocuments.Write(w =>
    {
        w.WriteStartElement("uws", "parameters", Ns);
        WriteParameterList(w, job);
        w.WriteEndElement();
    });

    /// <summary>The parameters a caller gave (internal bookkeeping keys and UWS actions left out).</summary>
    public static IEnumerable<KeyValuePair<string, string>> VisibleParameters(BrokerJob job) =>
        job.Parameters.Where(kv => !kv.Key.StartsWith(TapJobs.InternalPrefix, StringComparison.Ordinal) && kv.Key is not ("phase" or "action"))
            .OrderBy(kv => kv.Key, StringComparer.Ordinal);

    private static void WriteParameters(XmlWriter w, BrokerJob job)
    {
        w.WriteStartElement("uws", "parameters", Ns);
        WriteParameterList(w, job);
        w.WriteEndElement();
    }

    private static void WriteParameterList(XmlWriter w, BrokerJob job)
    {
        foreach (var (name, value) in VisibleParameters(job))
        {
            UwsXml.Parameter(w, name, value);
        }
    }

    private static void WriteResults(XmlWriter w, BrokerJob job, string jobUrl, string? resultType)
    {
        w.WriteStartElement("uws", "results", Ns);
        WriteResultList(w, job, jobUrl, resultType);
        w.WriteEndElement();
    }

    private static void WriteResultList(XmlWriter w, BrokerJob job, string jobUrl, string? resultType)
    {
        if (job.Phase != JobPhase.Completed) return;
        w.WriteStartElement("uws", "result", Ns);
        w.WriteAttributeString("id", "result");
        w.WriteAttributeString("xlink", "href", XLink, jobUrl + "/results/result");
        if (resultType is not null) w.WriteAttributeString("mime-type", resultType);
        w.WriteEndElement();
    }
}
