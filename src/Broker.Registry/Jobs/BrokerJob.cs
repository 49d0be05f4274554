namespace Broker.Registry.Jobs;

/// <summary>UWS execution phases (stored upper-case, as UWS spells them).</summary>
public enum JobPhase { Pending, Queued, Executing, Completed, Error, Aborted, Unknown, Held, Suspended, Archived }

/// <summary>One of the broker's own asynchronous queries.</summary>
public sealed record BrokerJob
{
    public required string Id { get; init; }
    /// <summary>The owner (session or user) allowed to see the job; null when anonymous.</summary>
    public string? Owner { get; init; }
    /// <summary>The caller's RUNID label.</summary>
    public string? RunId { get; init; }
    public required JobPhase Phase { get; init; }
    /// <summary>The job's parameters (QUERY, LANG, MAXREC, RESPONSEFORMAT ...), names as given.</summary>
    public required IReadOnlyDictionary<string, string> Parameters { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    /// <summary>Most run time allowed; zero means unlimited (UWS).</summary>
    public TimeSpan ExecutionDuration { get; init; }
    /// <summary>When the job and its results are deleted; null for never.</summary>
    public DateTimeOffset? DestructionAt { get; init; }
    /// <summary>Where the results are (a path or URL chosen by the executor).</summary>
    public string? ResultsLocation { get; init; }
    public string? ErrorSummary { get; init; }
    /// <summary>The instance executing the job, while <see cref="Phase"/> is Executing.</summary>
    public string? LeaseOwner { get; init; }
    /// <summary>When the executing instance's lease runs out unless renewed; afterwards any instance may take over.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }
    /// <summary>How many times an instance claimed the job (more than 1 after a takeover).</summary>
    public int Attempts { get; init; }
}

/// <summary>A job to create.</summary>
public sealed record NewJob
{
    public string? Owner { get; init; }
    public string? RunId { get; init; }
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
    /// <summary>Pending (waits for PHASE=RUN) or Queued (runs as soon as an instance claims it). <value>Default Pending.</value></summary>
    public JobPhase Phase { get; init; } = JobPhase.Pending;
    /// <summary><value>Default zero (unlimited).</value></summary>
    public TimeSpan ExecutionDuration { get; init; }
    public DateTimeOffset? DestructionAt { get; init; }
}

/// <summary>What a caller changes on an existing job (null members stay as they are).</summary>
public sealed record JobUpdate
{
    /// <summary>Parameters to add or replace; only accepted while the job is Pending.</summary>
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }
    public string? RunId { get; init; }
    public TimeSpan? ExecutionDuration { get; init; }
    public DateTimeOffset? DestructionAt { get; init; }
}

/// <summary>What a phase change also records.</summary>
public sealed record JobTransition
{
    /// <summary>When set, the change happens only while this instance holds the lease (so an instance that lost
    /// its job to a takeover cannot complete it).</summary>
    public string? LeaseOwner { get; init; }
    public string? ResultsLocation { get; init; }
    public string? ErrorSummary { get; init; }
}

internal static class JobPhases
{
    public static string ToDb(this JobPhase phase) => phase.ToString().ToUpperInvariant();

    public static JobPhase FromDb(string text) => Enum.Parse<JobPhase>(text, ignoreCase: true);

    public static bool IsFinal(this JobPhase phase) => phase is JobPhase.Completed or JobPhase.Error or JobPhase.Aborted;
}
