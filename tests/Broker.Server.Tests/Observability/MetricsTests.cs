using System.Globalization;
using System.Text.RegularExpressions;
using Broker.Core.Providers;
using Broker.Server.Hosting;
using Broker.Server.Tests.Rest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Broker.Server.Tests.Observability;

/// <summary>
/// /metrics (OpenTelemetry + Prometheus exporter) over scripted providers. Meters are process-wide and OpenTelemetry
/// listens by meter name, so brokers of tests running in parallel add to the same series: each test uses provider
/// ids of its own and counts only its own series exactly.
/// </summary>
public class MetricsTests
{
    private const string Search = "/api/v1/search?start=2022-03-21&end=2022-03-22";

    [Fact]
    public async Task Metrics_CountsProviderCallsByStatus_AndFailures()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("m1-eui", "m1-aia"));
        broker.Providers["m1-aia"].Behaviour = _ => throw new ProviderException("HTTP 500 from aia");
        await broker.Http.GetAsync(Search);

        var text = await broker.Http.GetStringAsync("/metrics");

        Assert.Equal(1, Value(text, "broker_provider_calls_total", ("provider", "m1-aia"), ("status", "error")));
        Assert.Equal(1, Value(text, "broker_provider_failures_total", ("provider", "m1-aia"), ("status", "error")));
        Assert.Equal(1, Value(text, "broker_provider_calls_total", ("provider", "m1-eui"), ("status", "empty")));
        Assert.Null(Value(text, "broker_provider_failures_total", ("provider", "m1-eui")));
        Assert.Equal(1, Value(text, "broker_provider_call_duration_seconds_count", ("provider", "m1-aia"), ("status", "error")));
        Assert.Equal(0, Value(text, "broker_provider_circuit_open", ("provider", "m1-aia")));
    }

    [Fact]
    public async Task Metrics_AnswerCacheHitsAndMisses()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("m2-eui"));
        await broker.Http.GetAsync(Search);
        await broker.Http.GetAsync(Search);

        var text = await broker.Http.GetStringAsync("/metrics");

        Assert.Equal(1, Value(text, "broker_answer_cache_lookups_total", ("provider", "m2-eui"), ("result", "miss")));
        Assert.Equal(1, Value(text, "broker_answer_cache_lookups_total", ("provider", "m2-eui"), ("result", "hit")));
        Assert.Equal(1, Value(text, "broker_provider_calls_total", ("provider", "m2-eui")));
    }

    [Fact]
    public async Task Metrics_RequestDurationHistogramPerRoute()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui"));
        await broker.Http.GetAsync(Search);
        await broker.Http.GetAsync("/api/v1/providers");

        var text = await broker.Http.GetStringAsync("/metrics");

        Assert.True(Value(text, "http_server_request_duration_seconds_count", ("http_route", "/api/v1/search/"), ("http_response_status_code", "200")) >= 1);
        Assert.True(Value(text, "http_server_request_duration_seconds_count", ("http_route", "/api/v1/providers")) >= 1);
        Assert.Matches(@"http_server_request_duration_seconds_bucket\{[^}]*http_route=""/api/v1/search/""[^}]*le=""0.005""", text);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text);
    }

    [Fact]
    public async Task Metrics_ProvidersReload_DoesNotResetCounters()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("m3-eui"));
        await broker.Http.GetAsync(Search + "&instrument=M3-EUI");

        // Changed settings: the provider's runtime (and its own live counters) is replaced on reload.
        await File.WriteAllTextAsync(broker.ProvidersFile, TestBroker.Yaml("m3-eui").Replace("timeout: 1s", "timeout: 2s"));
        Assert.True(await broker.Services.GetServices<IHostedService>().OfType<ProvidersReloader>().Single().ReloadAsync(CancellationToken.None));
        await broker.Http.GetAsync(Search + "&instrument=M3-EUI&limit=7"); // another block key: not from the cache

        var text = await broker.Http.GetStringAsync("/metrics");
        Assert.Equal(2, Value(text, "broker_provider_calls_total", ("provider", "m3-eui"), ("status", "empty")));
        Assert.Equal(2, Value(text, "broker_provider_call_duration_seconds_count", ("provider", "m3-eui")));
    }

    /// <summary>The sum of the samples of <paramref name="name"/> that carry all <paramref name="labels"/>; null when none does.</summary>
    internal static double? Value(string exposition, string name, params (string Key, string Value)[] labels)
    {
        double? sum = null;
        foreach (Match m in Regex.Matches(exposition, "^" + Regex.Escape(name) + @"\{([^}]*)\} (\S+)", RegexOptions.Multiline))
        {
            var set = m.Groups[1].Value;
            if (labels.All(l => set.Contains($"{l.Key}=\"{l.Value}\"", StringComparison.Ordinal)))
                sum = (sum ?? 0) + double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        }
        return sum;
    }
}
