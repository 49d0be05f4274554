using System.Text.Json;
using Broker.EndToEnd.Tests.Infrastructure;
using Broker.EndToEnd.Tests.Soap;

namespace Broker.EndToEnd.Tests.Observability;

/// <summary>
/// /metrics of a real broker after real searches, read by Debian's python3-prometheus-client with both its
/// Prometheus text parser and its (stricter) OpenMetrics parser.
/// </summary>
[Collection(FederationCollection.Name)]
public sealed class MetricsEndpointTests(FederationFixture f)
{
    [Fact]
    public async Task Metrics_AfterSearches_ParseAsPrometheusTextAndOpenMetrics_WithLatencyHistogramsAndProviderSeries()
    {
        f.ResetFaults();
        const string search = "/api/v1/search?" + FederationFixture.Window + "&providers=soar,sdo,legacy&limit=50";
        await Json.GetAsync(f.Broker.Http, search);
        await Json.GetAsync(f.Broker.Http, search); // answered from the answer cache
        // A request's duration is recorded after its response is sent, and the exporter caches a scrape briefly:
        // wait until a scrape shows the searches' series before the client parses one.
        await Broker.Testing.Wait.UntilAsync(async () =>
        {
            var scraped = await f.Broker.Http.GetStringAsync("/metrics");
            return scraped.Contains("http_route=\"/api/v1/search/\"", StringComparison.Ordinal)
                && scraped.Contains("broker_provider_call_duration_seconds_bucket", StringComparison.Ordinal)
                && scraped.Contains("broker_answer_cache_lookups", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30), "the searches' series in a /metrics scrape");

        var run = await PythonClient.RunAsync("metrics_parse.py", new Uri(f.Broker.BaseUrl, "/metrics").ToString());

        var text = run.Line("format", "text");
        var openMetrics = run.Line("format", "openmetrics");
        Assert.StartsWith("text/plain", text.GetProperty("contentType").GetString());
        Assert.StartsWith("application/openmetrics-text", openMetrics.GetProperty("contentType").GetString());
        foreach (var doc in new[] { text, openMetrics })
        {
            var families = doc.GetProperty("families");
            // Request latency per route, from the ASP.NET Core instrumentation.
            var requests = Family(families, "http_server_request_duration_seconds", "histogram");
            Assert.Contains(requests, s => s.Name == "http_server_request_duration_seconds_bucket"
                && s.Labels.GetValueOrDefault("http_route") == "/api/v1/search/" && s.Labels.ContainsKey("le"));
            // Provider call latency by provider and status, with buckets.
            var calls = Family(families, "broker_provider_call_duration_seconds", "histogram");
            foreach (var provider in new[] { "soar", "sdo", "legacy" })
            {
                Assert.Contains(calls, s => s.Name == "broker_provider_call_duration_seconds_bucket"
                    && s.Labels.GetValueOrDefault("provider") == provider && s.Labels.GetValueOrDefault("status") == "ok" && s.Labels.ContainsKey("le"));
                Assert.Contains(calls, s => s.Name == "broker_provider_call_duration_seconds_count"
                    && s.Labels.GetValueOrDefault("provider") == provider && s.Value >= 1);
            }
            Assert.Contains(Family(families, "broker_provider_calls", "counter"),
                s => s.Labels.GetValueOrDefault("provider") == "soar" && s.Labels.GetValueOrDefault("status") == "ok" && s.Value >= 1);
            Assert.Contains(Family(families, "broker_answer_cache_lookups", "counter"),
                s => s.Labels.GetValueOrDefault("provider") == "soar" && s.Labels.GetValueOrDefault("result") == "hit" && s.Value >= 1);
            Assert.Contains(Family(families, "broker_provider_circuit_open", "gauge"),
                s => s.Labels.GetValueOrDefault("provider") == "soar" && s.Value == 0);
        }
    }

    /// <summary>
    /// Two brokers in one process (as in these tests): each /metrics counts only its own requests, and one broker
    /// stopping does not take the other's request series with it. OpenTelemetry merges same-named instruments of all
    /// meters in the process into one stream, and a stopped host's meters retire that stream for everyone.
    /// </summary>
    [Fact]
    public async Task Metrics_WithASecondBrokerInTheProcess_CountOnlyOwnRequests_AndSurviveItsShutdown()
    {
        const string route = "/api/v1/providers";
        var before = await RequestCount(f.Broker.Http, route);

        await using (var other = await BrokerHost.StartAsync(FederationFixture.ProvidersYaml(f.Sims)))
        {
            for (var i = 0; i < 3; i++) (await other.Http.GetAsync(route)).EnsureSuccessStatusCode();
            // A request's duration is recorded after its response is sent: wait until the other broker shows all three.
            await Broker.Testing.Wait.UntilAsync(async () => await RequestCount(other.Http, route) >= 3, Broker.Testing.Wait.DefaultTimeout,
                "the second broker's own requests in its /metrics");
        }

        (await f.Broker.Http.GetAsync(route)).EnsureSuccessStatusCode();
        long after = 0;
        await Broker.Testing.Wait.UntilAsync(async () => (after = await RequestCount(f.Broker.Http, route)) > before, Broker.Testing.Wait.DefaultTimeout,
            "the fixture broker's request in its /metrics after the second broker stopped");
        Assert.Equal(before + 1, after);
    }

    /// <summary>The number of requests to <paramref name="route"/> in a text-format scrape of /metrics (0 when it has no series).</summary>
    private static async Task<long> RequestCount(HttpClient broker, string route)
    {
        var scrape = await broker.GetStringAsync("/metrics");
        return scrape.Split('\n')
            .Where(line => line.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal)
                && line.Contains($"http_route=\"{route}\"", StringComparison.Ordinal))
            .Sum(line => long.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    private sealed record Sample(string Name, Dictionary<string, string> Labels, double Value);

    private static List<Sample> Family(JsonElement families, string name, string type)
    {
        Assert.True(families.TryGetProperty(name, out var family), $"no family {name}; families: {string.Join(", ", families.EnumerateObject().Select(p => p.Name))}");
        Assert.Equal(type, family.GetProperty("type").GetString());
        return family.GetProperty("samples").EnumerateArray().Select(s => new Sample(
            s.GetProperty("name").GetString()!,
            s.GetProperty("labels").EnumerateObject().ToDictionary(l => l.Name, l => l.Value.GetString()!),
            s.GetProperty("value").GetDouble())).ToList();
    }
}
