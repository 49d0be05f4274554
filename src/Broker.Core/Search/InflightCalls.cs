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

    /// <summary>Joins the running call for <paramref name="key"/> or starts one; <paramref name="joined"/> tells which.</summary>
    public async Task<ProviderAnswer> RunAsync(
        string key, Func<CancellationToken, Task<ProviderAnswer>> start, CancellationToken cancellationToken, Action<bool>? joined = null)
    {
        while (true)
        {
            var fresh = new SharedCall();
            var call = _calls.GetOrAdd(key, fresh);
            if (!call.TryJoin())
            {
                _calls.TryRemove(new KeyValuePair<string, SharedCall>(key, call));
                continue;
            }
            joined?.Invoke(!ReferenceEquals(call, fresh));
            if (ReferenceEquals(call, fresh)) call.Start(start, () => _calls.TryRemove(new KeyValuePair<string, SharedCall>(key, call)));
            using var reg = cancellationToken.Register(static c => ((SharedCall)c!).Leave(), call);
            try
            {
                return await call.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (!cancellationToken.IsCancellationRequested) call.Leave();
            }
        }
    }

    private sealed class SharedCall
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
                    _cts.Dispose();
                }
            }
        }
    }
}
