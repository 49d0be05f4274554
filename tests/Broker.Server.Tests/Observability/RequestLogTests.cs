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

    /// <summary>
    /// Everything logged at every level during a run of requests that issue, use, refuse, rate-limit and end sessions
    /// (REST, both SOAP doors, an unknown id, another caller's DELETE): no session id appears anywhere in it.
    /// </summary>
    [Fact]
    public async Task WholeLogOfARun_ContainsNoSessionId()
    {
        var sink = new CapturingSink();
        // The broker's own logger, every category at every level, with the sink beside its console.
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui"), b => b.Services.AddSingleton<ILogEventSink>(sink),
            "--Sessions:RateLimitPerMinute=4", "--Serilog:MinimumLevel:Default=Verbose",
            "--Serilog:MinimumLevel:Override:Microsoft=Verbose", "--Serilog:MinimumLevel:Override:System.Net.Http=Verbose");
        broker.Providers["eui"].Behaviour = _ => Task.FromResult(ScriptedAdapter.Records("eui", 2));
        var ids = new HashSet<string>();
        async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? session = null, HttpContent? body = null)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body };
            if (session is not null) request.Headers.Add(SessionHttp.HeaderName, session);
            var response = await broker.Http.SendAsync(request);
            if (response.Headers.TryGetValues(SessionHttp.HeaderName, out var issued)) ids.UnionWith(issued);
            return response;
        }
        var unknown = Broker.Sessions.SessionId.New();
        ids.Add(unknown);

        var mine = (await SendAsync(HttpMethod.Post, "/api/v1/sessions")).Headers.GetValues(SessionHttp.HeaderName).Single();
        var other = (await SendAsync(HttpMethod.Post, "/api/v1/sessions")).Headers.GetValues(SessionHttp.HeaderName).Single();
        for (var i = 0; i < 6; i++) await SendAsync(HttpMethod.Get, "/api/v1/search?start=2022-03-21&end=2022-03-22", mine); // beyond the limit
        await SendAsync(HttpMethod.Get, "/api/v1/search?start=2022-03-21&end=2022-03-22"); // cookie-less: issued one
        await SendAsync(HttpMethod.Get, "/api/v1/queries", unknown);
        await SendAsync(HttpMethod.Post, "/api/v1/getdata", other, new StringContent("{\"fileIds\":[\"eui-0000\"]}", System.Text.Encoding.UTF8, "application/json"));
        var soap = $"<?xml version=\"1.0\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><Query xmlns=\"http://virtualsolar.org/VSO/VSOi\"><body><info><required>{other}</required></info><block><time><start>20220321000000</start><end>20220322000000</end></time></block></body></Query></soap:Body></soap:Envelope>";
        await SendAsync(HttpMethod.Post, "/soap/vsoi", null, new StringContent(soap, System.Text.Encoding.UTF8, "text/xml"));
        await SendAsync(HttpMethod.Post, "/soap/vsoi_tabdelim", null, new StringContent(soap, System.Text.Encoding.UTF8, "text/xml"));
        await SendAsync(HttpMethod.Delete, $"/api/v1/sessions/{mine}", other); // refused: not its own
        await SendAsync(HttpMethod.Delete, "/api/v1/sessions/current", other);
        await SendAsync(HttpMethod.Get, "/api/v1/queries", other); // ended: not adopted

        // The request line of the last request is written after its response: wait for it.
        await sink.WaitAsync(events => events.Count(e => e.Properties.ContainsKey("StatusCode")) >= 15);
        Assert.True(ids.Count >= 4, $"the run issued {ids.Count} session ids");
        var logged = sink.Events.Select(e => e.RenderMessage() + " " + string.Join(" ", e.Properties.Values) + " " + e.Exception).ToList();
        Assert.True(logged.Count >= 100, $"{logged.Count} events captured"); // framework events at Verbose too
        Assert.Contains(logged, line => line.Contains("/api/v1/sessions/~", StringComparison.Ordinal)); // the DELETE's path, redacted
        foreach (var id in ids)
            Assert.DoesNotContain(logged, line => line.Contains(id, StringComparison.OrdinalIgnoreCase));
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
