namespace Broker.TapService;

/// <summary>Settings of the TAP service, bound from the <c>Tap</c> configuration section.</summary>
public sealed record TapServiceOptions
{
    /// <summary>Rows returned when the caller gives no MAXREC. <value>Default 10 000.</value></summary>
    public long DefaultMaxRec { get; init; } = 10_000;

    /// <summary>
    /// A query without a bounded time range that needs only some rows (no ORDER BY, grouping or DISTINCT; TOP or
    /// MAXREC rows) is tried on this window, ending at <see cref="ProbeEnd"/>; if the window has enough rows they are a
    /// correct answer, otherwise the query is refused with the condition to add. <value>Default 1 day.</value>
    /// </summary>
    public TimeSpan ProbeWindow { get; init; } = TimeSpan.FromDays(1);

    /// <summary>End of the probe window; null means now. <value>Default null.</value></summary>
    public DateTimeOffset? ProbeEnd { get; init; }

    /// <summary>Longest run time of an async job (UWS executionDuration; 0 = unlimited is not granted). <value>Default 600 s.</value></summary>
    public int MaxExecutionSeconds { get; init; } = 600;

    /// <summary>How long a job and its result are kept. <value>Default 1 day.</value></summary>
    public TimeSpan JobLifetime { get; init; } = TimeSpan.FromDays(1);

    /// <summary>How long an instance holds a job it executes before another may take it over, unless renewed. <value>Default 30 s.</value></summary>
    public TimeSpan JobLease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often an idle instance looks for queued jobs, and how often WAIT re-reads a job. <value>Default 1 s / 200 ms.</value></summary>
    public TimeSpan JobPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan WaitPollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest blocking WAIT granted. <value>Default 60 s.</value></summary>
    public int MaxWaitSeconds { get; init; } = 60;
}
