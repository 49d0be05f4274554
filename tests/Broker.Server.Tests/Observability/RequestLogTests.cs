using Broker.Server.Sessions;
using Broker.Server.Tests.Rest;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Broker.Server.Tests.Observability;

/// <summary>The one request log line per request (Serilog.AspNetCore request logging).</summary>
public class RequestLogTests
{
    [Fact]
    public async Task Search_LogsOneRequestLine_WithRouteStatusElapsedQueryIdSessionHashAndTraceId()
    {
        var sink = new CapturingSink();
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui"), b => b.Services.AddSingleton<ILogger>(new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(sink).CreateLogger()));

        var response = await broker.Http.GetAsync("/api/v1/search?start=2022-03-21&end=2022-03-22");
        var sessionId = response.Headers.GetValues(SessionHttp.HeaderName).Single();
        var queryId = response.Headers.GetValues("VSO-Query-Id").Single();

        var line = await sink.SingleAsync(e => e.Properties.TryGetValue("RequestPath", out var p) && p.ToString() == "\"/api/v1/search\"");
        Assert.Equal(LogEventLevel.Information, line.Level);
        Assert.Equal("\"/api/v1/search/\"", line.Properties["Route"].ToString());
        Assert.Equal("200", line.Properties["StatusCode"].ToString());
        Assert.True(line.Properties.ContainsKey("Elapsed"));
        Assert.Equal($"\"{queryId}\"", line.Properties["QueryId"].ToString());
        Assert.Matches("^\"[0-9a-f]{32}\"$", line.Properties["TraceId"].ToString());
        var hash = line.Properties["SessionHash"].ToString().Trim('"');
        Assert.Matches("^[0-9a-f]{12}$", hash);
        Assert.DoesNotContain(sessionId, line.RenderMessage());
        Assert.DoesNotContain(sessionId, string.Join(" ", line.Properties.Values));
    }

    [Fact]
    public async Task SessionHash_SameSession_SameHash_ButNeverTheId()
    {
        var sink = new CapturingSink();
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui"), b => b.Services.AddSingleton<ILogger>(new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger()));
        var first = await broker.Http.GetAsync("/api/v1/providers");
        var sessionId = first.Headers.GetValues(SessionHttp.HeaderName).Single();
        using var again = new HttpRequestMessage(HttpMethod.Get, "/api/v1/providers");
        again.Headers.Add(SessionHttp.HeaderName, sessionId);
        await broker.Http.SendAsync(again);

        await sink.WaitAsync(events => events.Count(e => e.Properties.ContainsKey("SessionHash")) >= 2);
        var hashes = sink.Events.Where(e => e.Properties.ContainsKey("SessionHash")).Select(e => e.Properties["SessionHash"].ToString()).ToList();
        Assert.Equal(2, hashes.Count);
        Assert.Single(hashes.Distinct());
        Assert.DoesNotContain(sessionId, hashes[0]);
    }

    [Fact]
    public async Task Probe_LoggedOnlyAtDebug()
    {
        var sink = new CapturingSink();
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui"), b => b.Services.AddSingleton<ILogger>(new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(sink).CreateLogger()));
        await broker.Http.GetAsync("/health/live");

        var line = await sink.SingleAsync(e => e.Properties.TryGetValue("RequestPath", out var p) && p.ToString() == "\"/health/live\"");
        Assert.Equal(LogEventLevel.Debug, line.Level);
    }

    private sealed class CapturingSink : ILogEventSink
    {
        private readonly List<LogEvent> _events = [];
        public IReadOnlyList<LogEvent> Events { get { lock (_events) return _events.ToList(); } }
        private readonly SemaphoreSlim _added = new(0);

        public void Emit(LogEvent logEvent)
        {
            lock (_events) _events.Add(logEvent);
            _added.Release();
        }

        /// <summary>Waits until <paramref name="done"/> holds: the request line is written after the response is sent.</summary>
        public async Task WaitAsync(Func<IReadOnlyList<LogEvent>, bool> done)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (!done(Events)) await _added.WaitAsync(timeout.Token);
        }

        public async Task<LogEvent> SingleAsync(Func<LogEvent, bool> match)
        {
            await WaitAsync(events => events.Any(match));
            return Assert.Single(Events, e => match(e));
        }
    }
}
