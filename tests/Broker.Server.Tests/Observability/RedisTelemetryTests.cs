using System.Collections.Concurrent;
using System.Diagnostics;
using Broker.Server.Tests.Rest;
using Broker.Testing;

namespace Broker.Server.Tests.Observability;

/// <summary>
/// Redis in the broker's telemetry, on a real redis-server: the stores' operation latency histogram at /metrics and
/// OpenTelemetry's StackExchange.Redis spans for the commands a search with a session sends.
/// </summary>
public sealed class RedisTelemetryTests(SingleRedisFixture redis) : IClassFixture<SingleRedisFixture>
{
    private const string InstrumentationSource = "OpenTelemetry.Instrumentation.StackExchangeRedis";

    [Fact]
    public async Task SearchWithASession_RedisOperationsAreMeasured_AndCommandsTraced()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == InstrumentationSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var broker = TestBroker.Start(TestBroker.Yaml("rt-eui"), null, $"--Redis:Configuration={redis.Redis.Configuration}",
            $"--Sessions:RedisTimeout={Sessions.SessionMiddlewareTests.FunctionalTimeout}");
        broker.Providers["rt-eui"].Behaviour = _ => Task.FromResult(ScriptedAdapter.Records("rt-eui", 5));

        var session = (await broker.Http.PostAsync("/api/v1/sessions", null)).Headers.GetValues("VSO-Session").Single();
        broker.Http.DefaultRequestHeaders.Add("VSO-Session", session);
        (await broker.Http.GetAsync("/api/v1/search?start=2022-03-21&end=2022-03-22")).EnsureSuccessStatusCode();
        (await broker.Http.GetAsync("/api/v1/queries")).EnsureSuccessStatusCode();

        var metrics = await broker.Http.GetStringAsync("/metrics");
        Assert.Matches(@"broker_redis_operation_duration_seconds_bucket\{[^}]*outcome=""ok""", metrics);
        Assert.Matches(@"broker_redis_operation_duration_seconds_count\{[^}]*outcome=""ok""[^}]*\} [1-9]", metrics);
        // The instrumentation drains the profiled commands every second (FlushInterval).
        await Wait.UntilAsync(() => Task.FromResult(spans.Any(s => s.Tags.Any(t => t.Key.StartsWith("db.", StringComparison.Ordinal)))),
            TimeSpan.FromSeconds(30), "a Redis command span");
    }
}
