using System.Collections.Concurrent;
using Broker.Core.Providers;

namespace Broker.Core.Search;

/// <summary>
/// Coalesces identical concurrent provider calls, so that a burst of the same query asks the provider once.
/// The shared call is cancelled only when every caller waiting on it has gone.
/// </summary>
internal sealed class InflightCalls
{
    private readonly ConcurrentDictionary<string, SharedCall> _calls = new(StringComparer.Ordinal);

    /// <summary>
    /// Runs when the last waiter has decided to cancel its shared call, just before the cancellation: lets a test put
    /// the call's completion exactly there, the window in which a timer callback once cancelled a disposed source.
    /// </summary>
    internal Action? BeforeCancel { get; init; }

    /// <summary>Joins the running call for <paramref name="key"/> or starts one; <paramref name="joined"/> tells which.</summary>
    public async Task<ProviderAnswer> RunAsync(
        string key, Func<CancellationToken, Task<ProviderAnswer>> start, CancellationToken cancellationToken, Action<bool>? joined = null)
    {
        while (true)
        {
            var fresh = new SharedCall(BeforeCancel);
            var call = _calls.GetOrAdd(key, fresh);
            if (!call.TryJoin())
            {
                _calls.TryRemove(new KeyValuePair<string, SharedCall>(key, call));
                continue;
            }
            joined?.Invoke(!ReferenceEquals(call, fresh));
            if (ReferenceEquals(call, fresh)) call.Start(start, () => _calls.TryRemove(new KeyValuePair<string, SharedCall>(key, call)));
            try
            {
                return await call.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // Exactly once per waiter, however it ends. (A token registration used to leave on cancellation, but
                // when the waiter's continuation ran inline in Cancel() it unregistered that callback before it ran:
                // the waiter never left and the provider call outlived all its waiters.)
                call.Leave();
            }
        }
    }

    /// <summary>
    /// One provider call and its waiters. Its token source is never disposed: a waiter leaves from the callback of its
    /// own cancellation (the search deadline's timer thread), at any moment relative to the call's end, and
    /// Cancel() on a disposed source would throw there, where nothing catches it and the process ends. A source
    /// without a timer holds nothing that needs disposing.
    /// </summary>
    private sealed class SharedCall(Action? beforeCancel)
    {
        private readonly CancellationTokenSource _cts = new();
        private readonly TaskCompletionSource<ProviderAnswer> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _waiters;
        private bool _closed;

        public Task<ProviderAnswer> Task => _done.Task;

        public bool TryJoin()
        {
            lock (this)
            {
                if (_closed) return false;
                _waiters++;
                return true;
            }
        }

        public void Leave()
        {
            lock (this)
            {
                if (--_waiters > 0 || _done.Task.IsCompleted) return;
                _closed = true;
            }
            beforeCancel?.Invoke();
            _cts.Cancel();
        }

        public void Start(Func<CancellationToken, Task<ProviderAnswer>> start, Action remove)
        {
            _ = RunAsync();
            async Task RunAsync()
            {
                try
                {
                    _done.TrySetResult(await start(_cts.Token).ConfigureAwait(false));
                }
                catch (OperationCanceledException ex) when (_cts.IsCancellationRequested)
                {
                    _done.TrySetCanceled(ex.CancellationToken);
                }
                catch (Exception ex)
                {
                    _done.TrySetException(ex);
                }
                finally
                {
                    lock (this) _closed = true;
                    remove();
                }
            }
        }
    }
}
