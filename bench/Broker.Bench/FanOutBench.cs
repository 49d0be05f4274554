using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Broker.Simulators;
using Broker.EndToEnd.Tests.Infrastructure;

namespace Broker.Bench;

/// <summary>
/// Issue 2's benchmark: 8 simulated providers each answering 1,000 records after 50 ms. Prints the broker's added
/// latency over the slowest provider (p50, p99) and searches per second.
/// "Added latency" per search = the client's time to the last byte of the broker's merged answer − the slowest
/// provider's call as the broker measured it (request sent → answer parsed). It is the broker's own work: planning,
/// fan-out, merging 8,000 records, writing ~3 MB of JSON. A second, stricter figure compares with a direct call to one
/// simulated provider for the same query (what a client asking that provider alone would wait).
/// </summary>
internal static class FanOutBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var providers = Arg(args, "--providers", 8);
        var records = Arg(args, "--records", 1000);
        var latencyMs = Arg(args, "--latency-ms", 50);
        var searches = Arg(args, "--searches", 300);
        var concurrency = Arg(args, "--concurrency", 8);
        var seconds = Arg(args, "--seconds", 10);

        var simOptions = new SimulatorOptions
        {
            Providers = Enumerable.Range(0, providers).Select(i => new SimulatedProviderOptions
            {
                Name = $"bench{i}", Kind = SimulatorKind.Bench, Seed = 100 + i, RecordCount = records,
                Faults = new FaultSpec { Latency = TimeSpan.FromMilliseconds(latencyMs) },
            }).ToList(),
        };
        await using var sims = await SimulatorHost.StartAsync(simOptions);
        var yaml = new StringBuilder("providers:\n");
        for (var i = 0; i < providers; i++)
            yaml.Append($"  bench{i}:\n    type: tap\n    url: {sims.TapUrl($"bench{i}")}\n    cache: {{ enabled: false }}\n" +
                        "    resilience: { timeout: 10s, retries: 0, concurrency: 64 }\n    options: { profile: obscore, mode: sync, format: binary2 }\n");
        await using var broker = await BrokerHost.StartAsync(yaml.ToString(), new Dictionary<string, string>
        {
            ["Sessions:RateLimitPerMinute"] = "0",
            ["Search:DefaultLimit"] = "100000",
        });
        var window = sims.Options("bench0").BenchWindowStart;
        var query = $"start={window:yyyy-MM-ddTHH:mm:ss}Z&end={window.AddHours(1):yyyy-MM-ddTHH:mm:ss}Z";
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = broker.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        // One session, like a real client with its cookie.
        var session = (await http.PostAsync("/api/v1/sessions", null)).Headers.GetValues("VSO-Session").First();
        http.DefaultRequestHeaders.Add("VSO-Session", session);

        var buffer = new MemoryStream(8 << 20);
        Console.WriteLine($"fan-out: {providers} providers × {records} records, {latencyMs} ms provider latency, load {Load()}");
        for (var i = 0; i < 20; i++) await SearchOnceAsync(http, query, providers * records, buffer); // warm-up (JIT, pools)

        lock (EngineAfterSlowest) EngineAfterSlowest.Clear();
        var added = new List<double>();
        var total = new List<double>();
        var slowest = new List<double>();
        for (var i = 0; i < searches; i++)
        {
            var (elapsed, slowestProvider) = await SearchOnceAsync(http, query, providers * records, buffer);
            total.Add(elapsed);
            slowest.Add(slowestProvider);
            added.Add(elapsed - slowestProvider);
        }

        Percentiles engineTail;
        lock (EngineAfterSlowest) engineTail = new Percentiles(EngineAfterSlowest);

        // The same query asked of one provider directly, with the same client: what the slowest provider costs a caller.
        var direct = new List<double>();
        using var direct_http = new HttpClient();
        var adql = Uri.EscapeDataString($"SELECT * FROM ivoa.obscore WHERE t_max >= 0");
        for (var i = 0; i < Math.Min(searches, 100); i++)
        {
            var sw = Stopwatch.StartNew();
            var bytes = await direct_http.GetByteArrayAsync($"{sims.TapUrl("bench0")}/sync?REQUEST=doQuery&LANG=ADQL&FORMAT=votable/b2&MAXREC=100000&QUERY={adql}");
            direct.Add(sw.Elapsed.TotalMilliseconds);
            if (bytes.Length == 0) throw new InvalidOperationException("empty direct answer");
        }

        var throughput = await ThroughputAsync(http, query, providers * records, concurrency, TimeSpan.FromSeconds(seconds));
        var addedP = new Percentiles(added);
        var directP = new Percentiles(direct);
        var totalP = new Percentiles(total);
        Console.WriteLine($"  end-to-end search          {totalP.Summary()}");
        Console.WriteLine($"  slowest provider call      {new Percentiles(slowest).Summary()}");
        Console.WriteLine($"  ADDED over slowest call    {addedP.Summary()}   goal p50 ≤ 5 ms, p99 ≤ 20 ms");
        Console.WriteLine($"    of which engine (merge)  {engineTail.Summary()}   (1 ms resolution; the rest is writing and sending the answer)");
        Console.WriteLine($"  direct call to 1 provider  {directP.Summary()}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  added over a direct call   p50 {totalP.At(50) - directP.At(50):0.00} ms, p99 {totalP.At(99) - directP.At(99):0.00} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  throughput                 {throughput:0.0} searches/s with {concurrency} concurrent clients ({providers * records} records each)"));
        return 0;
    }

    private static readonly List<double> EngineAfterSlowest = [];

    private static async Task<(double ElapsedMs, double SlowestProviderMs)> SearchOnceAsync(HttpClient http, string query, int expected, MemoryStream buffer)
    {
        // The body is read into a reused buffer: the client's own allocations are not the broker's latency.
        buffer.SetLength(0);
        var sw = Stopwatch.StartNew();
        using var response = await http.GetAsync($"/api/v1/search?{query}", HttpCompletionOption.ResponseHeadersRead);
        await response.Content.CopyToAsync(buffer);
        var elapsed = sw.Elapsed.TotalMilliseconds;
        var body = new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"search failed: {(int)response.StatusCode} {Encoding.UTF8.GetString(body.Span)}");
        using var doc = JsonDocument.Parse(body);
        var returned = doc.RootElement.GetProperty("returned").GetInt32();
        if (returned != expected) throw new InvalidOperationException($"expected {expected} records, got {returned}: {ProvidersLine(doc)}");
        var slowest = doc.RootElement.GetProperty("providers").EnumerateArray().Max(p => p.GetProperty("elapsedMs").GetDouble());
        lock (EngineAfterSlowest) EngineAfterSlowest.Add(doc.RootElement.GetProperty("elapsedMs").GetDouble() - slowest);
        return (elapsed, slowest);
    }

    private static async Task<double> ThroughputAsync(HttpClient http, string query, int expected, int concurrency, TimeSpan duration)
    {
        var until = Stopwatch.StartNew();
        var done = 0;
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            var buffer = new MemoryStream(8 << 20);
            while (until.Elapsed < duration)
            {
                await SearchOnceAsync(http, query, expected, buffer);
                Interlocked.Increment(ref done);
            }
        });
        await Task.WhenAll(workers);
        return done / until.Elapsed.TotalSeconds;
    }

    private static string ProvidersLine(JsonDocument doc) =>
        string.Join(", ", doc.RootElement.GetProperty("providers").EnumerateArray().Select(p => $"{p.GetProperty("id")}={p.GetProperty("status")}"));

    internal static int Arg(string[] args, string name, int defaultValue)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : defaultValue;
    }

    internal static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
