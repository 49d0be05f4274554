using System.Diagnostics;
using System.Globalization;
using Broker.Server;
using Broker.Simulators;
using Broker.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Broker.Bench;

/// <summary>
/// <c>cache</c>: searches/s and p50/p99 latency of one repeated search through the real broker over HTTP keep-alive,
/// answered from the result cache vs uncached (<c>Cache-Control: no-cache</c>, every search asks the simulator),
/// for the in-memory cache and for Redis (a real redis-server) — and, as the yardstick, the SAME server sending the same
/// answer's bytes from memory (<c>/bench/static</c>, through the same middleware). Goals, as ratios measured in one run:
/// cached throughput ≥ 50 % of the static-bytes figure, cached p99 ≤ 3× its p50.
/// Options: <c>--requests N</c> (4000 cached searches), <c>--uncached N</c> (400), <c>--clients N</c> (8),
/// <c>--records N</c> (records in the answer, 500), <c>--modes memory,redis</c>, <c>--session per-client|none</c>
/// (per-client: each client holds a session, as a portal does, so every search is also stored in its history),
/// <c>--provider-latency MS</c> (0: the in-process simulator answers at once; a real TAP service takes 100 ms or more),
/// <c>--limit N</c> (records returned of the answer; default all), <c>--set Key=Value</c> (a broker setting, repeatable, e.g. <c>--set Sessions:MaxStoredRecords=0</c>).
/// </summary>
internal static class CacheBench
{
    private const double StaticShareGoal = 0.5;
    private const double TailGoal = 3.0;

    private sealed record Options(
        int Requests, int Uncached, int Clients, int Records, IReadOnlyList<string> Modes, bool Sessions, TimeSpan Latency, IReadOnlyList<string> Settings,
        int? Limit = null)
    {
        public static Options Parse(string[] args)
        {
            var o = new Options(4000, 400, 8, 500, ["memory", "redis"], true, TimeSpan.Zero, []);
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                o = args[i] switch
                {
                    "--requests" => o with { Requests = PositiveInt(Next()) },
                    "--uncached" => o with { Uncached = PositiveInt(Next()) },
                    "--clients" => o with { Clients = PositiveInt(Next()) },
                    "--records" => o with { Records = PositiveInt(Next()) },
                    "--modes" => o with { Modes = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                    "--session" => o with { Sessions = Next() switch { "per-client" => true, "none" => false, var v => throw new ArgumentException($"--session {v}: per-client or none") } },
                    "--provider-latency" => o with { Latency = TimeSpan.FromMilliseconds(PositiveInt(Next())) },
                    "--limit" => o with { Limit = PositiveInt(Next()) },
                    "--set" => o with { Settings = [.. o.Settings, Next()] },
                    var unknown => throw new ArgumentException($"unknown option {unknown}"),
                };
            }
            return o;
        }

        private static int PositiveInt(string text) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"'{text}' is not a positive whole number");
    }

    private sealed record Run(string Mode, string Kind, int Count, double Seconds, double[] LatenciesMs)
    {
        public double PerSecond => Count / Seconds;
        public double P(double p)
        {
            var sorted = LatenciesMs.Order().ToArray();
            return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
        }
    }

    public static async Task<int> RunAsync(string[] args)
    {
        Options o;
        try
        {
            o = Options.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }
        Console.WriteLine($"Cache benchmark: one repeated search ({o.Records} records from one simulated ObsCore provider), {o.Clients} clients over HTTP keep-alive, " +
                          $"{o.Requests} cached / {o.Uncached} uncached searches, sessions: {(o.Sessions ? "one per client" : "none")}, " +
                          $"provider latency {o.Latency.TotalMilliseconds} ms, limit {o.Limit?.ToString(CultureInfo.InvariantCulture) ?? "all"}, settings: {(o.Settings.Count == 0 ? "defaults" : string.Join(' ', o.Settings))}");
        Console.WriteLine($"load average at start: {File.ReadAllText("/proc/loadavg").Trim()}   cores: {Environment.ProcessorCount}   .NET {Environment.Version}");

        await using var sims = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Providers = [new() { Name = "bench", Kind = SimulatorKind.Bench, Seed = 1, RecordCount = o.Records, Faults = new FaultSpec { Latency = o.Latency } }],
        });
        var runs = new List<Run>();
        foreach (var mode in o.Modes)
        {
            RedisServer? redis = mode == "redis" ? await RedisServer.StartAsync() : null;
            try
            {
                await using var broker = await Broker.StartAsync(sims, redis, o.Settings);
                var url = "/api/v1/search?start=2022-01-01T00:00:00Z&end=2022-01-01T01:00:00Z&providers=bench" + (o.Limit is { } l ? $"&limit={l}" : "");
                var clients = await Clients.CreateAsync(broker.BaseUrl, o.Clients, o.Sessions);
                try
                {
                    await clients.RunAsync(url, Math.Max(o.Clients * 10, 50), noCache: false); // warm-up: JIT, connections, the cache entry
                    await clients.RunAsync(url, Math.Max(o.Clients * 4, 20), noCache: true);
                    var uncached = await clients.RunAsync(url, o.Uncached, noCache: true);
                    var cached = await clients.RunAsync(url, o.Requests, noCache: false);
                    broker.StaticBody = await clients.FetchAsync(url);
                    await clients.RunAsync(Broker.StaticPath, Math.Max(o.Clients * 10, 50), noCache: false);
                    var fromMemory = await clients.RunAsync(Broker.StaticPath, o.Requests, noCache: false);
                    runs.Add(new Run(mode, "uncached", o.Uncached, uncached.Seconds, uncached.Latencies));
                    runs.Add(new Run(mode, "cached", o.Requests, cached.Seconds, cached.Latencies));
                    runs.Add(new Run(mode, "static", o.Requests, fromMemory.Seconds, fromMemory.Latencies));
                }
                finally
                {
                    clients.Dispose();
                }
            }
            finally
            {
                if (redis is not null) await redis.DisposeAsync();
            }
        }

        Console.WriteLine();
        Console.WriteLine($"{"cache",-8} {"searches",-9} {"count",7} {"searches/s",11} {"p50 ms",8} {"p99 ms",8} {"max ms",8}");
        foreach (var r in runs)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Mode,-8} {r.Kind,-9} {r.Count,7} {r.PerSecond,11:0} {r.P(50),8:0.00} {r.P(99),8:0.00} {r.P(100),8:0.00}"));
        Console.WriteLine();
        // Figures from a shared machine mean little without the load they were taken under.
        Console.WriteLine($"load average at end: {File.ReadAllText("/proc/loadavg").Trim()}");
        var pass = true;
        foreach (var mode in o.Modes)
        {
            var cached = runs.Single(r => r.Mode == mode && r.Kind == "cached");
            var uncached = runs.Single(r => r.Mode == mode && r.Kind == "uncached");
            var fromMemory = runs.Single(r => r.Mode == mode && r.Kind == "static");
            var share = cached.PerSecond / fromMemory.PerSecond;
            var tail = cached.P(99) / cached.P(50);
            var ok = share >= StaticShareGoal && tail <= TailGoal;
            pass &= ok;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{mode}: cached throughput {share:0%} of the same bytes from memory (goal >= {StaticShareGoal:0%}), cached p99/p50 {tail:0.0}x (goal <= {TailGoal}x): {(ok ? "MET" : "MISSED")}; cached/uncached {cached.PerSecond / uncached.PerSecond:0.0}x"));
            Ratios.Add($"cache ({mode}) cached searches/s / same bytes from memory", share, $"≥ {StaticShareGoal}");
            Ratios.Add($"cache ({mode}) cached p99 / p50", tail, $"≤ {TailGoal}");
        }
        return pass ? 0 : 1;
    }

    /// <summary>The production composition root on a free port, with Redis when given, rate limit off.</summary>
    private sealed class Broker : IAsyncDisposable
    {
        /// <summary>The yardstick: the cached answer's bytes sent from memory by the same server and middleware.</summary>
        public const string StaticPath = "/bench/static";

        private readonly WebApplication _app;
        private readonly string _dir;

        private Broker(WebApplication app, string dir)
        {
            _app = app;
            _dir = dir;
        }

        public Uri BaseUrl => new(_app.Urls.First());

        public byte[] StaticBody { get; set; } = [];

        public static async Task<Broker> StartAsync(RunningSimulators sims, RedisServer? redis, IReadOnlyList<string> settings)
        {
            var dir = Directory.CreateTempSubdirectory("broker-cache-bench").FullName;
            var file = Path.Combine(dir, "providers.yaml");
            await File.WriteAllTextAsync(file,
                $"providers:\n  bench:\n    type: tap\n    url: {sims.TapUrl("bench")}\n    resilience: {{ timeout: 30s, retries: 0, breakerMinimumThroughput: 1000 }}\n" +
                "    cache: { enabled: true, ttl: 10m }\n    options: { profile: obscore, mode: sync }\n");
            var args = new List<string>
            {
                "--providers", file, "--urls", "http://127.0.0.1:0", "--Serilog:MinimumLevel:Default=Warning", "--Sessions:RateLimitPerMinute=0",
            };
            if (redis is not null) args.Add($"--Redis:Configuration={redis.Configuration}");
            args.AddRange(settings.Select(s => "--" + s));
            var app = BrokerApp.Build([.. args]);
            Broker? broker = null;
            app.MapGet(StaticPath, () => Results.Bytes(broker!.StaticBody, "application/json; charset=utf-8"));
            await app.StartAsync();
            return broker = new Broker(app, dir);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>N keep-alive clients, each with its own connection (and session, when asked), sharing a fixed request count.</summary>
    private sealed class Clients : IDisposable
    {
        private readonly List<(HttpClient Http, string? Session)> _clients;

        private Clients(List<(HttpClient, string?)> clients) => _clients = clients;

        public static async Task<Clients> CreateAsync(Uri baseUrl, int count, bool sessions)
        {
            var list = new List<(HttpClient, string?)>();
            for (var i = 0; i < count; i++)
            {
                var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = 1, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10) })
                { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
                string? session = null;
                if (sessions)
                {
                    using var created = await http.PostAsync("/api/v1/sessions", null);
                    created.EnsureSuccessStatusCode();
                    session = created.Headers.GetValues("VSO-Session").Single();
                }
                list.Add((http, session));
            }
            return new Clients(list);
        }

        /// <summary>One answer's body, fetched by the first client.</summary>
        public async Task<byte[]> FetchAsync(string url)
        {
            var (http, session) = _clients[0];
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (session is not null) request.Headers.Add("VSO-Session", session);
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadAsByteArrayAsync();
        }

        public async Task<(double Seconds, double[] Latencies)> RunAsync(string url, int total, bool noCache)
        {
            var latencies = new double[total];
            var next = -1;
            var wall = Stopwatch.StartNew();
            await Task.WhenAll(_clients.Select(async c =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < total)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, url);
                    if (c.Session is not null) request.Headers.Add("VSO-Session", c.Session);
                    if (noCache) request.Headers.CacheControl = new System.Net.Http.Headers.CacheControlHeaderValue { NoCache = true };
                    var started = Stopwatch.GetTimestamp();
                    using var response = await c.Http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                    response.EnsureSuccessStatusCode();
                    latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }
            }));
            return (wall.Elapsed.TotalSeconds, latencies);
        }

        public void Dispose()
        {
            foreach (var (http, _) in _clients) http.Dispose();
        }
    }
}
