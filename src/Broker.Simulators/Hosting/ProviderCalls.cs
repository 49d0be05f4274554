namespace Broker.Simulators;

/// <summary>A snapshot of the upstream calls one simulated provider has received.</summary>
public sealed record ProviderCalls
{
    /// <summary>All HTTP requests to the provider (any path, including faulted ones).</summary>
    public long Requests { get; init; }

    /// <summary>Requests to <c>/sync</c>.</summary>
    public long SyncQueries { get; init; }

    /// <summary>Async jobs created (<c>POST /async</c>).</summary>
    public long AsyncJobsCreated { get; init; }

    /// <summary>Async jobs deleted (DELETE or ACTION=DELETE).</summary>
    public long JobsDeleted { get; init; }

    /// <summary>Requests to the data endpoint.</summary>
    public long DataDownloads { get; init; }

    /// <summary>Requests to the VOSI endpoints (/tables, /capabilities, /availability).</summary>
    public long MetadataRequests { get; init; }

    /// <summary>Requests answered by an injected fault (500, hang, malformed, truncated).</summary>
    public long FaultsInjected { get; init; }

    /// <summary>VSOi SOAP Query calls (vsoi kind).</summary>
    public long SoapQueries { get; init; }

    /// <summary>VSOi SOAP GetData calls (vsoi kind).</summary>
    public long SoapGetDataCalls { get; init; }

    /// <summary>Requests abandoned by their client while delayed or hanging.</summary>
    public long Aborted { get; init; }

    /// <summary>Ids of the async jobs that exist now (created and not deleted), oldest first.</summary>
    public IReadOnlyList<string> AliveJobs { get; init; } = [];

    /// <summary>Ids of the alive jobs that are still PENDING, QUEUED or EXECUTING.</summary>
    public IReadOnlyList<string> ActiveJobs { get; init; } = [];
}
