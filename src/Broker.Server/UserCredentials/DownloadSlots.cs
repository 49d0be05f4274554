using System.Collections.Concurrent;

namespace Broker.Server.UserCredentials;

/// <summary>
/// Bounds the downloads one session runs at once on this instance (each holds a provider connection for as long as
/// the file takes), so one user cannot take every connection to a provider.
/// </summary>
public sealed class DownloadSlots(DownloadOptions options)
{
    private readonly ConcurrentDictionary<string, int> _running = new(StringComparer.Ordinal);

    /// <summary>A slot for <paramref name="sessionId"/>, released on dispose; null when the session already runs the maximum.</summary>
    public IDisposable? TryEnter(string sessionId)
    {
        while (true)
        {
            var current = _running.GetOrAdd(sessionId, 0);
            if (current >= options.MaxConcurrentPerSession) return null;
            if (_running.TryUpdate(sessionId, current + 1, current)) return new Slot(this, sessionId);
        }
    }

    private void Leave(string sessionId)
    {
        while (true)
        {
            var current = _running[sessionId];
            if (current == 1 ? _running.TryRemove(KeyValuePair.Create(sessionId, 1)) : _running.TryUpdate(sessionId, current - 1, current)) return;
        }
    }

    private sealed class Slot(DownloadSlots owner, string sessionId) : IDisposable
    {
        private int _done;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) owner.Leave(sessionId);
        }
    }
}
