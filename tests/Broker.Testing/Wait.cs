using System.Diagnostics;

namespace Broker.Testing;

/// <summary>
/// The one way tests wait: on a condition, never on a fixed time, while real servers start, fail over or converge
/// and background work finishes. The timeout is a generous functional bound (a hang detector), never a timing claim.
/// </summary>
public static class Wait
{
    /// <summary>Default bound: long enough for a loaded machine, short enough to report a hang.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Checks <paramref name="condition"/> until it holds; throws <see cref="TimeoutException"/> naming <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var waited = Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(10);
        while (!await condition().ConfigureAwait(false))
        {
            if (waited.Elapsed > timeout) throw new TimeoutException($"gave up after {timeout.TotalSeconds:0} s waiting for {what}");
            await Task.Delay(pause).ConfigureAwait(false);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 250));
        }
    }

    /// <summary><see cref="UntilAsync(Func{Task{bool}}, TimeSpan, string)"/> for a condition that needs no I/O.</summary>
    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), timeout ?? DefaultTimeout, what);

    /// <summary>An I/O condition with the default bound.</summary>
    public static Task UntilAsync(Func<Task<bool>> condition, string what) => UntilAsync(condition, DefaultTimeout, what);
}
