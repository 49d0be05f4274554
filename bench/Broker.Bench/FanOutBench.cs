using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Broker.Bench;

/// <summary>
/// <c>fanout</c>: 8 simulated providers each answering 1,000 records after 50 ms, the simulators in their OWN process
/// serving pre-rendered answers and the broker in its own process, so the broker's CPU is measured apart. Reports in
/// one run, as ratios (absolute times do not carry between machines):
/// (a) the 8-provider federated search's latency over a direct call to one provider (p50 and p99 ratios);
/// (b) the broker's CPU time per 1,000 federated records (parse 8 VOTables, merge, write JSON) = the broker
///     process's CPU time over the sequential run / records returned;
/// (c) searches/s with 8 concurrent clients;
/// and compression's bytes and broker CPU cost for a 10,000-record answer (JSON, identity vs gzip vs Brotli).
/// Goals on a 2-core machine: (a) p50 ≤ 1.3×, p99 ≤ 2×.
/// </summary>
internal static class FanOutBench
{
    private const double P50Goal = 1.3, P99Goal = 2.0;

    public static async Task<int> RunAsync(string[] args)
    {
        var providers = Arg(args, "--providers", 8);
        var records = Arg(args, "--records", 1000);
        var latencyMs = Arg(args, "--latency-ms", 50);
        var searches = Arg(args, "--searches", 300);
        var concurrency = Arg(args, "--concurrency", 8);
        var seconds = Arg(args, "--seconds", 10);
        const int BigRecords = 10_000;

        var dir = Directory.CreateTempSubdirectory("broker-fanout-bench").FullName;
        try
        {
            var simPort = ChildProcess.FreePort();
            var sims = new StringBuilder($"port: {simPort}\nproviders:\n");
            for (var i = 0; i < providers; i++)
                sims.Append($"  - {{ name: bench{i}, kind: bench, seed: {100 + i}, records: {records}, preRendered: true, faults: {{ latencyMs: {latencyMs} }} }}\n");
            sims.Append($"  - {{ name: big, kind: bench, seed: 99, records: {BigRecords}, preRendered: true }}\n");
            await File.WriteAllTextAsync(Path.Combine(dir, "sims.yaml"), sims.ToString());
            var simRoot = $"http://127.0.0.1:{simPort}";
            await using var simulators = await ChildProcess.StartAsync("Broker.Simulators", ["--config", Path.Combine(dir, "sims.yaml")],
                new Uri($"{simRoot}/bench0/tap/availability"));

            var yaml = new StringBuilder("providers:\n");
            foreach (var id in Enumerable.Range(0, providers).Select(i => $"bench{i}").Append("big"))
                yaml.Append($"  {id}:\n    type: tap\n    url: {simRoot}/{id}/tap\n    cache: {{ enabled: {(id == "big" ? "true" : "false")} }}\n" +
                            "    resilience: { timeout: 10s, retries: 0, concurrency: 64 }\n    options: { profile: obscore, mode: sync, format: binary2 }\n");
            await File.WriteAllTextAsync(Path.Combine(dir, "providers.yaml"), yaml.ToString());
            var brokerUrl = new Uri($"http://127.0.0.1:{ChildProcess.FreePort()}");
            await using var broker = await ChildProcess.StartAsync("Broker.Server",
                ["--providers", Path.Combine(dir, "providers.yaml"), "--urls", brokerUrl.ToString().TrimEnd('/'), "--Serilog:MinimumLevel:Default=Warning",
                 "--Sessions:RateLimitPerMinute=0", "--Search:DefaultLimit=100000"],
                new Uri(brokerUrl, "/health/live"));

            var window = new DateTime(2022, 1, 1, 0, 0, 0, DateTimeKind.Utc); // SimulatedProviderOptions.BenchWindowStart
            var query = $"start={window:yyyy-MM-ddTHH:mm:ss}Z&end={window.AddHours(1):yyyy-MM-ddTHH:mm:ss}Z";
            var fan = $"/api/v1/search?{query}&providers={string.Join(',', Enumerable.Range(0, providers).Select(i => $"bench{i}"))}";
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, AutomaticDecompression = DecompressionMethods.None })
            { BaseAddress = brokerUrl, Timeout = TimeSpan.FromSeconds(60) };
            var session = (await http.PostAsync("/api/v1/sessions", null)).Headers.GetValues("VSO-Session").First();
            http.DefaultRequestHeaders.Add("VSO-Session", session); // one session, like a real client with its cookie

            var loadStart = Load();
            var buffer = new MemoryStream(8 << 20);
            for (var i = 0; i < 20; i++) await SearchOnceAsync(http, fan, providers * records, buffer); // warm-up (JIT, pools, pre-rendering)

            var federated = new List<double>();
            var cpuBefore = broker.CpuTime;
            for (var i = 0; i < searches; i++) federated.Add(await SearchOnceAsync(http, fan, providers * records, buffer));
            var cpuPerThousand = (broker.CpuTime - cpuBefore).TotalMilliseconds / (searches * providers * records / 1000.0);

            // The same window asked of one provider directly by the same client: what a caller asking it alone waits.
            var adql = Uri.EscapeDataString("SELECT * FROM ivoa.obscore WHERE t_max >= 0");
            var directUrl = $"{simRoot}/bench0/tap/sync?REQUEST=doQuery&LANG=ADQL&FORMAT=votable/b2&MAXREC=100000&QUERY={adql}";
            for (var i = 0; i < 10; i++) await DirectOnceAsync(http, directUrl, buffer);
            var direct = new List<double>();
            for (var i = 0; i < searches; i++) direct.Add(await DirectOnceAsync(http, directUrl, buffer));

            var throughput = await ThroughputAsync(http, fan, providers * records, concurrency, TimeSpan.FromSeconds(seconds));
            var compression = await CompressionAsync(brokerUrl, session, $"/api/v1/search?{query}&providers=big", BigRecords, broker);
            var loadEnd = Load();

            var fed = new Percentiles(federated);
            var dir1 = new Percentiles(direct);
            var (r50, r99) = (fed.At(50) / dir1.At(50), fed.At(99) / dir1.At(99));
            var met = r50 <= P50Goal && r99 <= P99Goal;
            Console.WriteLine($"fan-out: {providers} providers × {records} records after {latencyMs} ms, simulators and broker in their own processes; " +
                              $"{Environment.ProcessorCount} cores, load average {loadStart} at start, {loadEnd} at end");
            Console.WriteLine($"  federated search ({providers * records} records, JSON)  {fed.Summary()}");
            Console.WriteLine($"  direct call to one provider ({records} rows)  {dir1.Summary()}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  (a) federated / direct          p50 {r50:0.00}×, p99 {r99:0.00}×   goal p50 ≤ {P50Goal}×, p99 ≤ {P99Goal}×: {(met ? "MET" : "MISSED")}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  (b) broker CPU per 1,000 records {cpuPerThousand:0.00} ms (parse, merge, write JSON; broker process CPU / records)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  (c) throughput                   {throughput:0.0} searches/s with {concurrency} concurrent clients"));
            var (served, levels) = compression;
            foreach (var c in served)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  compression, {BigRecords:N0}-record JSON, {c.Encoding,-8} {c.Bytes,10:N0} bytes ({c.Bytes / (double)served[0].Bytes:0.000} of identity), broker CPU {c.CpuMs:0.0} ms per answer ({c.CpuMs - served[0].CpuMs:+0.0;-0.0} ms over identity)"));
            foreach (var c in levels)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  level choice, same JSON in-process: {c.Encoding,-12} {c.Bytes,10:N0} bytes ({c.Bytes / (double)served[0].Bytes:0.000} of identity), {c.CpuMs:0.0} ms per answer"));
            Ratios.Add("fan-out (a) p50 federated / direct", r50, $"≤ {P50Goal}");
            Ratios.Add("fan-out (a) p99 federated / direct", r99, $"≤ {P99Goal}");
            Ratios.Add("fan-out (b) broker CPU ms / 1,000 records", cpuPerThousand, "");
            Ratios.Add("fan-out (c) searches/s, 8 clients", throughput, "");
            Ratios.Add("compression br bytes / identity (10,000 rec.)", served[2].Bytes / (double)served[0].Bytes, "");
            Ratios.Add("compression br CPU ms per answer over identity", served[2].CpuMs - served[0].CpuMs, "");
            return 0;
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private sealed record CompressionFigure(string Encoding, long Bytes, double CpuMs);

    /// <summary>
    /// The level choice by measurement: the same 10,000-record JSON compressed in this process at each level ASP.NET
    /// Core offers (Brotli Fastest = quality 1, Optimal = quality 4; gzip Fastest = zlib 1, Optimal = zlib 6):
    /// bytes and milliseconds per answer on one core.
    /// </summary>
    private static List<CompressionFigure> CompressionLevels(byte[] json)
    {
        const int Rounds = 10;
        var figures = new List<CompressionFigure>();
        foreach (var (name, open) in new (string, Func<Stream, Stream>)[]
        {
            ("br Fastest", s => new System.IO.Compression.BrotliStream(s, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)),
            ("br Optimal", s => new System.IO.Compression.BrotliStream(s, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true)),
            ("gzip Fastest", s => new System.IO.Compression.GZipStream(s, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)),
            ("gzip Optimal", s => new System.IO.Compression.GZipStream(s, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true)),
        })
        {
            var output = new MemoryStream(json.Length);
            long bytes = 0;
            var sw = new Stopwatch();
            for (var i = 0; i < Rounds + 2; i++)
            {
                output.SetLength(0);
                if (i == 2) sw.Start(); // two warm-up rounds
                using (var z = open(output)) z.Write(json);
                bytes = output.Length;
            }
            figures.Add(new CompressionFigure(name, bytes, sw.Elapsed.TotalMilliseconds / Rounds));
        }
        return figures;
    }

    /// <summary>The same 10,000-record answer (from the broker's answer cache) fetched with each content coding.</summary>
    private static async Task<(List<CompressionFigure> Served, List<CompressionFigure> Levels)> CompressionAsync(
        Uri broker, string session, string url, int expected, ChildProcess process)
    {
        const int Rounds = 30;
        var figures = new List<CompressionFigure>();
        byte[] identity = [];
        foreach (var encoding in new[] { "identity", "gzip", "br" })
        {
            using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = broker };
            http.DefaultRequestHeaders.Add("VSO-Session", session);
            http.DefaultRequestHeaders.Add("Accept-Encoding", encoding);
            long bytes = 0;
            for (var i = 0; i < 5; i++) bytes = (await http.GetByteArrayAsync(url)).Length; // warm-up, and the cache entry
            if (encoding == "identity") identity = await http.GetByteArrayAsync(url);
            var before = process.CpuTime;
            for (var i = 0; i < Rounds; i++)
            {
                using var response = await http.GetAsync(url);
                var body = await response.Content.ReadAsByteArrayAsync();
                var coding = response.Content.Headers.ContentEncoding.FirstOrDefault() ?? "identity";
                if (coding != encoding) throw new InvalidOperationException($"asked for {encoding}, got {coding}");
                bytes = body.Length;
            }
            figures.Add(new CompressionFigure(encoding, bytes, (process.CpuTime - before).TotalMilliseconds / Rounds));
        }
        return (figures, CompressionLevels(identity));
    }

    private static async Task<double> SearchOnceAsync(HttpClient http, string url, int expected, MemoryStream buffer)
    {
        // The body is read into a reused buffer: the client's own allocations are not the broker's latency.
        buffer.SetLength(0);
        var sw = Stopwatch.StartNew();
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        await response.Content.CopyToAsync(buffer);
        var elapsed = sw.Elapsed.TotalMilliseconds;
        var body = new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"search failed: {(int)response.StatusCode} {Encoding.UTF8.GetString(body.Span)}");
        using var doc = JsonDocument.Parse(body);
        var returned = doc.RootElement.GetProperty("records").GetArrayLength();
        if (returned != expected) throw new InvalidOperationException($"expected {expected} records, got {returned}: {ProvidersLine(doc)}");
        return elapsed;
    }

    private static async Task<double> DirectOnceAsync(HttpClient http, string url, MemoryStream buffer)
    {
        buffer.SetLength(0);
        var sw = Stopwatch.StartNew();
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        await response.Content.CopyToAsync(buffer);
        var elapsed = sw.Elapsed.TotalMilliseconds;
        if (!response.IsSuccessStatusCode || buffer.Length == 0) throw new InvalidOperationException($"direct call failed: {(int)response.StatusCode}");
        return elapsed;
    }

    private static async Task<double> ThroughputAsync(HttpClient http, string url, int expected, int concurrency, TimeSpan duration)
    {
        var until = Stopwatch.StartNew();
        var done = 0;
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            var buffer = new MemoryStream(8 << 20);
            while (until.Elapsed < duration)
            {
                await SearchOnceAsync(http, url, expected, buffer);
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
