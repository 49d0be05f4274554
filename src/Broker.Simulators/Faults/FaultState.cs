namespace Broker.Simulators.Faults;

/// <summary>
/// The current <see cref="FaultSpec"/> of a provider and its deterministic random stream: the n-th request after
/// the spec was set always draws the same numbers (seeded by <see cref="FaultSpec.Seed"/> and n).
/// </summary>
internal sealed class FaultState(FaultSpec initial)
{
    private FaultSpec _spec = initial;
    private long _sequence;

    public FaultSpec Current => Volatile.Read(ref _spec);

    public void Set(FaultSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Volatile.Write(ref _spec, spec);
        Interlocked.Exchange(ref _sequence, 0);
    }

    /// <summary>Draws the fault decisions for one request.</summary>
    public FaultDecision Next()
    {
        var spec = Current;
        var n = Interlocked.Increment(ref _sequence);
        var random = new Random(unchecked((int)(spec.Seed * 1_000_003L + n * 7_919L)));
        var latency = spec.Latency;
        if (spec.LatencyMax > spec.Latency)
        {
            latency += TimeSpan.FromTicks((long)(random.NextDouble() * (spec.LatencyMax - spec.Latency).Ticks));
        }

        var fail = spec.AlwaysFail || (spec.ErrorRate > 0 && random.NextDouble() < spec.ErrorRate);
        return new FaultDecision(spec, latency, fail);
    }
}

/// <summary>What happens to one request.</summary>
/// <param name="Spec">The spec in force when the request arrived.</param>
/// <param name="Latency">Delay before answering.</param>
/// <param name="Fail">Answer HTTP 500.</param>
internal sealed record FaultDecision(FaultSpec Spec, TimeSpan Latency, bool Fail);
