using System.Collections.Concurrent;
using Serilog;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Json;

namespace Broker.EndToEnd.Tests.Credentials;

/// <summary>
/// A Serilog sink that keeps every event of the broker as JSON (message, rendered text, properties, exception), for
/// the secret scan. Named in the broker's own configuration (<c>Serilog:Using</c> / <c>Serilog:WriteTo</c>), so the
/// broker's real logging pipeline writes to it.
/// </summary>
public sealed class CapturedLog : ILogEventSink
{
    private static readonly ConcurrentQueue<string> Events = new();
    private static readonly JsonFormatter Formatter = new(renderMessage: true);

    public static IReadOnlyCollection<string> All => Events.ToArray();

    public void Emit(LogEvent logEvent)
    {
        using var text = new StringWriter();
        Formatter.Format(logEvent, text);
        Events.Enqueue(text.ToString());
    }
}

/// <summary>The <c>WriteTo</c> name of <see cref="CapturedLog"/>.</summary>
public static class CapturedLogExtensions
{
    public static LoggerConfiguration CapturedLog(this LoggerSinkConfiguration to) => to.Sink(new CapturedLog());
}
