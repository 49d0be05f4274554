namespace Broker.Testing;

/// <summary>
/// The one way tests wait: on a condition, never on a fixed time, while real servers start, fail over or converge
/// and background work finishes. The timeout is a generous functional bound (a hang detector), never a timing claim.
/// The clock is injected: the real one by default, since the conditions wait on real servers and processes.
/// </summary>
public static class Wait
{
    /// <summary>Default bound: long enough for a loaded machine, short enough to report a hang.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Checks <paramref name="condition"/> until it holds; throws <see cref="TimeoutException"/> naming <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        using var bound = new CancellationTokenSource(timeout, clock);
        // Checks come often at first and then every 250 ms, so a long wait does not load the machine.
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(10), clock);
        while (!await condition().ConfigureAwait(false))
        {
            try
            {
                await ticks.WaitForNextTickAsync(bound.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (bound.IsCancellationRequested)
            {
                throw new TimeoutException($"gave up after {timeout.TotalSeconds:0} s waiting for {what}");
            }
            ticks.Period = TimeSpan.FromMilliseconds(Math.Min(ticks.Period.TotalMilliseconds * 2, 250));
        }
    }

    /// <summary><see cref="UntilAsync(Func{Task{bool}}, TimeSpan, string, TimeProvider)"/> for a condition that needs no I/O.</summary>
    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), timeout ?? DefaultTimeout, what);

    /// <summary>An I/O condition with the default bound.</summary>
    public static Task UntilAsync(Func<Task<bool>> condition, string what) => UntilAsync(condition, DefaultTimeout, what);

    /// <summary>A fake provider's "never answers": completes only by <paramref name="cancellationToken"/>.</summary>
    public static Task UntilCancelledAsync(CancellationToken cancellationToken) =>
        new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously).Task.WaitAsync(cancellationToken);
}
