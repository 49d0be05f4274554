namespace Broker.Simulators;

/// <summary>
/// Faults a simulated provider injects. Every property defaults to "no fault"; combine them freely.
/// Random choices (variable latency, error rate) come from a generator seeded with <see cref="Seed"/> and the
/// request's sequence number, so a given request sequence sees the same faults every run.
/// </summary>
public sealed record FaultSpec
{
    /// <summary>No fault at all.</summary>
    public static FaultSpec None { get; } = new();

    /// <summary>Delay before every answer (the lower bound when <see cref="LatencyMax"/> is larger).</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>When greater than <see cref="Latency"/>, the delay is uniform in [<see cref="Latency"/>, <see cref="LatencyMax"/>].</summary>
    public TimeSpan LatencyMax { get; init; }

    /// <summary>Fraction (0..1) of requests answered with HTTP 500.</summary>
    public double ErrorRate { get; init; }

    /// <summary>Every request is answered with HTTP 500.</summary>
    public bool AlwaysFail { get; init; }

    /// <summary>Never answer: hold the request until the client goes away.</summary>
    public bool Hang { get; init; }

    /// <summary>Payload responses (sync/async results, /tables, data, SOAP) are garbage XML with status 200.</summary>
    public bool MalformedBody { get; init; }

    /// <summary>Payload responses are cut in the middle and the connection is aborted.</summary>
    public bool TruncatedBody { get; init; }

    /// <summary>Ignore MAXREC and TOP, and repeat result rows up to <see cref="HugeResultRows"/>.</summary>
    public bool HugeResult { get; init; }

    /// <summary>Rows returned by <see cref="HugeResult"/>.</summary>
    public int HugeResultRows { get; init; } = 200_000;

    /// <summary>A column is missing from /tables (the data still has it): <see cref="MissingColumn"/> or the kind's main time column.</summary>
    public bool BrokenMetadata { get; init; }

    /// <summary>Column dropped by <see cref="BrokenMetadata"/>, as <c>table.column</c> or <c>column</c>; null = the main time column.</summary>
    public string? MissingColumn { get; init; }

    /// <summary>How long an async job stays EXECUTING before it completes (slow mode).</summary>
    public TimeSpan JobDuration { get; init; }

    /// <summary>Async jobs stay EXECUTING forever (until aborted or deleted).</summary>
    public bool JobsNeverFinish { get; init; }

    /// <summary>DELETE of a job (and ACTION=DELETE) answers 500 and keeps the job: a provider that refuses the cleanup.</summary>
    public bool RefuseJobDelete { get; init; }

    /// <summary>Seed of the fault random generator.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Whether any request-level fault is set (latency, errors, hang, body corruption).</summary>
    public bool AffectsRequests =>
        Latency > TimeSpan.Zero || LatencyMax > TimeSpan.Zero || ErrorRate > 0 || AlwaysFail || Hang || MalformedBody || TruncatedBody;
}
