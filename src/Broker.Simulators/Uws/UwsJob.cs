namespace Broker.Simulators.Uws;

/// <summary>UWS execution phases.</summary>
internal static class Phases
{
    public const string Pending = "PENDING";
    public const string Queued = "QUEUED";
    public const string Executing = "EXECUTING";
    public const string Completed = "COMPLETED";
    public const string Error = "ERROR";
    public const string Aborted = "ABORTED";

    public static bool IsActive(string phase) => phase is Pending or Queued or Executing;

    public static bool IsFinal(string phase) => phase is Completed or Error or Aborted;
}

/// <summary>One async TAP job. All mutable state is guarded by the job's lock; waiters see phase changes through <see cref="ChangedAsync"/>.</summary>
internal sealed class UwsJob
{
    private readonly object _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public UwsJob(string id, IEnumerable<KeyValuePair<string, string>> parameters, DateTime created, int executionDuration)
    {
        Id = id;
        Parameters = new Dictionary<string, string>(parameters, StringComparer.OrdinalIgnoreCase);
        CreationTime = created;
        ExecutionDuration = executionDuration;
        Destruction = created.AddHours(24);
        Phase = Phases.Pending;
    }

    public string Id { get; }

    /// <summary>Created by a caller with valid credentials: the query sees restricted rows.</summary>
    public bool Authorised { get; init; }

    public Dictionary<string, string> Parameters { get; }

    public DateTime CreationTime { get; }

    public string Phase { get; private set; }

    public DateTime? StartTime { get; private set; }

    public DateTime? EndTime { get; private set; }

    public int ExecutionDuration { get; set; }

    public DateTime Destruction { get; set; }

    public byte[]? Result { get; private set; }

    public string? ResultContentType { get; private set; }

    public string? ErrorMessage { get; private set; }

    public CancellationTokenSource Cancellation { get; } = new();

    public object Gate => _gate;

    /// <summary>Completes when the phase next changes.</summary>
    public Task ChangedAsync()
    {
        lock (_gate) return _changed.Task;
    }

    /// <summary>Moves to <paramref name="phase"/> if the current phase is one of <paramref name="from"/>.</summary>
    public bool TryMove(string phase, DateTime now, params string[] from)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (!from.Contains(Phase)) return false;
            Phase = phase;
            if (phase == Phases.Executing) StartTime = now;
            if (Phases.IsFinal(phase)) EndTime = now;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
        return true;
    }

    public bool Complete(byte[] result, string contentType, DateTime now)
    {
        lock (_gate)
        {
            if (Phase != Phases.Executing) return false;
            Result = result;
            ResultContentType = contentType;
        }

        return TryMove(Phases.Completed, now, Phases.Executing);
    }

    public bool Fail(string message, DateTime now)
    {
        lock (_gate)
        {
            if (!Phases.IsActive(Phase)) return false;
            ErrorMessage = message;
        }

        return TryMove(Phases.Error, now, Phases.Pending, Phases.Queued, Phases.Executing);
    }
}
