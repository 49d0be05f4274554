using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Broker.Server.Tests.Sessions;

/// <summary>Counts a host's log events by event id, so a test can wait until the host provably reached a step.</summary>
internal sealed class LoggedEvents : ILoggerProvider
{
    private readonly ConcurrentDictionary<int, int> _counts = new();

    public int Count(int eventId) => _counts.GetValueOrDefault(eventId);

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose() { }

    private sealed class Logger(LoggedEvents owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._counts.AddOrUpdate(eventId.Id, 1, (_, n) => n + 1);
    }
}
