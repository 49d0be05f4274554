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
/// (a) the 8-provider federated search's latency over a direct call to one provider of the same simulator process by
///     the same client (p50 and p99 ratios; the two taken in turns, so a change of load falls on both alike), with where
///     the federated search's time went (slowest provider call, engine, the rest) from the broker's own answer;
/// (b) the broker's CPU time per 1,000 federated records (parse 8 VOTables, merge, write JSON) = the broker
///     process's CPU time over searches back to back / records returned;
/// (c) searches/s with 8 concurrent clients;
/// and compression's bytes (as served) and CPU cost (the server's compressors, in this process) for a 10,000-record
/// answer (JSON, identity vs gzip vs Brotli).
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
            // Warm-up (JIT, pools, connections, the simulators' pre-rendering): each answer read in full and checked.
            var adql = Uri.EscapeDataString("SELECT * FROM ivoa.obscore WHERE t_max >= 0");
            var directUrl = $"{simRoot}/bench0/tap/sync?REQUEST=doQuery&LANG=ADQL&FORMAT=votable/b2&MAXREC=100000&QUERY={adql}";
            for (var i = 0; i < 20; i++)
            {
                await SearchOnceAsync(http, fan, providers * records, buffer, fullCheck: true);
                await DirectOnceAsync(http, directUrl, buffer);
            }

            // (a) The federated search and the same window asked of one provider directly, by the same client (same
            // handler, keep-alive connections) of the SAME simulator process, taken in turns: a change of the machine's
            // load during the run falls on both sides of the ratio alike.
            var federated = new List<double>();
            var direct = new List<double>();
            var phases = new List<(double Engine, double SlowestCall)>();
            for (var i = 0; i < searches; i++)
            {
                federated.Add(await SearchOnceAsync(http, fan, providers * records, buffer, phases: phases));
                direct.Add(await DirectOnceAsync(http, directUrl, buffer));
            }

            // (b) The broker's CPU over federated searches back to back (its process alone; the client's and the
            // simulators' CPU are not in it).
            var cpuSearches = Math.Max(searches / 2, 20);
            var gcBefore = await GcFigures.ReadAsync(http);
            var cpuBefore = broker.CpuTime;
            var cpuWall = Stopwatch.StartNew();
            for (var i = 0; i < cpuSearches; i++) await SearchOnceAsync(http, fan, providers * records, buffer);
            var cpuPerThousand = (broker.CpuTime - cpuBefore).TotalMilliseconds / (cpuSearches * providers * records / 1000.0);
            var gc = (await GcFigures.ReadAsync(http)).Since(gcBefore, cpuWall.Elapsed, cpuSearches * providers * records / 1000.0);

            var throughput = await ThroughputAsync(http, fan, providers * records, concurrency, TimeSpan.FromSeconds(seconds));
            var compression = await CompressionAsync(brokerUrl, session, $"/api/v1/search?{query}&providers=big", BigRecords);
            var loadEnd = Load();

            var fed = new Percentiles(federated);
            var dir1 = new Percentiles(direct);
            var (r50, r99) = (fed.At(50) / dir1.At(50), fed.At(99) / dir1.At(99));
            var met = r50 <= P50Goal && r99 <= P99Goal;
            Console.WriteLine($"fan-out: {providers} providers × {records} records after {latencyMs} ms, simulators and broker in their own processes; " +
                              $"{Environment.ProcessorCount} cores, load average {loadStart} at start, {loadEnd} at end");
            Console.WriteLine($"  federated search ({providers * records} records, JSON)  {fed.Summary()}");
            Console.WriteLine($"  direct call to one provider ({records} rows)  {dir1.Summary()}");
            // Where the federated search's time goes, from the broker's own answer: its slowest provider call (HTTP, parse,
            // map, prepare), the whole engine (+ merge), and the rest the client saw (request handling, JSON write, transfer).
            Console.WriteLine($"    of which slowest provider call  {new Percentiles(phases.Select(p => p.SlowestCall)).Summary()}");
            Console.WriteLine($"    of which search engine          {new Percentiles(phases.Select(p => p.Engine)).Summary()}");
            Console.WriteLine($"    rest (request, write, transfer) {new Percentiles(phases.Zip(federated, (p, f) => f - p.Engine)).Summary()}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  (a) federated / direct          p50 {r50:0.00}×, p99 {r99:0.00}×   goal p50 ≤ {P50Goal}×, p99 ≤ {P99Goal}×: {(met ? "MET" : "MISSED")}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  (b) broker CPU per 1,000 records {cpuPerThousand:0.00} ms (parse, merge, write JSON; broker process CPU / records)"));
            Console.WriteLine($"      broker GC in that block (its /metrics): {gc}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  (c) throughput                   {throughput:0.0} searches/s with {concurrency} concurrent clients"));
            var (served, levels) = compression;
            foreach (var c in served)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  compression, {BigRecords:N0}-record JSON as served, {c.Encoding,-8} {c.Bytes,10:N0} bytes ({c.Bytes / (double)served[0].Bytes:0.000} of identity), {c.CpuMs:0.0} ms CPU per answer to compress"));
            foreach (var c in levels)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  level choice, same JSON in-process: {c.Encoding,-12} {c.Bytes,10:N0} bytes ({c.Bytes / (double)served[0].Bytes:0.000} of identity), {c.CpuMs:0.0} ms per answer"));
            Ratios.Add("fan-out (a) p50 federated / direct", r50, $"≤ {P50Goal}");
            Ratios.Add("fan-out (a) p99 federated / direct", r99, $"≤ {P99Goal}");
            Ratios.Add("fan-out (b) broker CPU ms / 1,000 records", cpuPerThousand, "");
            Ratios.Add("fan-out (c) searches/s, 8 clients", throughput, "");
            Ratios.Add("compression br bytes / identity (10,000 rec.)", served[2].Bytes / (double)served[0].Bytes, "");
            Ratios.Add("compression br CPU ms per 10,000-record answer", served[2].CpuMs, "");
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
        const int Rounds = 20;
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
            var cpuMs = CpuMsPerRound(Rounds, () =>
            {
                output.SetLength(0);
                using var z = open(output);
                z.Write(json);
            });
            figures.Add(new CompressionFigure(name, output.Length, cpuMs));
        }
        return figures;
    }

    /// <summary>
    /// The same 10,000-record answer (from the broker's answer cache) fetched with each content coding: the bytes as
    /// served. The CPU it costs to compress is measured in this process, where nothing else runs, with the server's own
    /// compression providers (<see cref="Broker.Server.Hosting.Compression"/>: level, buffering) fed as the server feeds
    /// them (4 KiB pipe writes, a flush every MiB): this process's CPU time over many rounds, per answer. (Read from the
    /// broker process over a few requests, the compression's share drowned in the noise of serving them and came out
    /// negative.)
    /// </summary>
    private static async Task<(List<CompressionFigure> Served, List<CompressionFigure> Levels)> CompressionAsync(
        Uri broker, string session, string url, int expected)
    {
        var figures = new List<CompressionFigure>();
        byte[] identity = [];
        foreach (var encoding in new[] { "identity", "gzip", "br" })
        {
            using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = broker };
            http.DefaultRequestHeaders.Add("VSO-Session", session);
            http.DefaultRequestHeaders.Add("Accept-Encoding", encoding);
            byte[] body = [];
            for (var i = 0; i < 3; i++) // the first fills the answer cache
            {
                using var response = await http.GetAsync(url);
                body = await response.Content.ReadAsByteArrayAsync();
                var coding = response.Content.Headers.ContentEncoding.FirstOrDefault() ?? "identity";
                if (coding != encoding) throw new InvalidOperationException($"asked for {encoding}, got {coding}");
            }
            if (encoding == "identity")
            {
                identity = body;
                using var doc = JsonDocument.Parse(identity);
                if (doc.RootElement.GetProperty("records").GetArrayLength() != expected) throw new InvalidOperationException($"expected {expected} records");
            }
            figures.Add(new CompressionFigure(encoding, body.Length, encoding == "identity" ? 0 : ServerCompressionCpuMs(identity, encoding)));
        }
        return (figures, CompressionLevels(identity));
    }

    /// <summary>Milliseconds of this process's CPU per answer for the broker's compressor of <paramref name="encoding"/>.</summary>
    private static double ServerCompressionCpuMs(byte[] json, string encoding)
    {
        const int Rounds = 40;
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        Microsoft.Extensions.DependencyInjection.LoggingServiceCollectionExtensions.AddLogging(services);
        Broker.Server.Hosting.Compression.AddBrokerCompression(services);
        using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        var options = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.ResponseCompression.ResponseCompressionOptions>>(provider);
        var chooser = new Microsoft.AspNetCore.ResponseCompression.ResponseCompressionProvider(provider, options);
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Headers.AcceptEncoding = encoding;
        var compressor = chooser.GetCompressionProvider(context)
            ?? throw new InvalidOperationException($"the broker offers no {encoding} compression");
        if (compressor.EncodingName != encoding) throw new InvalidOperationException($"asked for {encoding}, the broker chose {compressor.EncodingName}");
        var output = new MemoryStream(json.Length);
        return CpuMsPerRound(Rounds, () =>
        {
            output.SetLength(0);
            using var z = compressor.CreateStream(output);
            for (var at = 0; at < json.Length; at += 4096)
            {
                z.Write(json, at, Math.Min(4096, json.Length - at));
                if ((at + 4096) % (1 << 20) == 0) z.Flush();
            }
        });
    }

    /// <summary>
    /// This process's CPU time (user + system) per round, after two warm-up rounds: CPU, not wall time, so a loaded
    /// machine does not inflate it. Called while nothing else in this process works.
    /// </summary>
    private static double CpuMsPerRound(int rounds, Action round)
    {
        round();
        round();
        using var me = Process.GetCurrentProcess();
        var before = me.TotalProcessorTime;
        for (var i = 0; i < rounds; i++) round();
        me.Refresh();
        return (me.TotalProcessorTime - before).TotalMilliseconds / rounds;
    }

    /// <remarks>
    /// Timed until the last byte is read. Checked cheaply after: the summary members (returned, elapsed, providers) come
    /// before the records, so only the head is parsed and the client's own JSON work does not compete with the broker
    /// for the 2 cores; <paramref name="fullCheck"/> (the warm-up) parses the whole answer and counts its records.
    /// </remarks>
    private static async Task<double> SearchOnceAsync(HttpClient http, string url, int expected, MemoryStream buffer,
        bool fullCheck = false, List<(double Engine, double SlowestCall)>? phases = null)
    {
        // The body is read into a reused buffer: the client's own allocations are not the broker's latency.
        buffer.SetLength(0);
        var sw = Stopwatch.StartNew();
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        await response.Content.CopyToAsync(buffer);
        var elapsed = sw.Elapsed.TotalMilliseconds;
        var body = new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"search failed: {(int)response.StatusCode} {Encoding.UTF8.GetString(body.Span)}");
        var head = SearchHead.Read(body.Span);
        if (head.Returned != expected || !head.AllOk) throw new InvalidOperationException($"expected {expected} records, got {head.Returned}: {head.Providers}");
        if (fullCheck)
        {
            using var doc = JsonDocument.Parse(body);
            var returned = doc.RootElement.GetProperty("records").GetArrayLength();
            if (returned != expected) throw new InvalidOperationException($"expected {expected} records, got {returned}: {head.Providers}");
        }
        phases?.Add((head.ElapsedMs, head.SlowestCallMs));
        return elapsed;
    }

    /// <summary>The members of a search answer before its records, read with a forward-only reader that stops at "records".</summary>
    private readonly record struct SearchHead(int Returned, double ElapsedMs, double SlowestCallMs, bool AllOk, string Providers)
    {
        public static SearchHead Read(ReadOnlySpan<byte> json)
        {
            var r = new Utf8JsonReader(json);
            int returned = -1;
            double elapsed = 0, slowest = 0;
            var allOk = true;
            var providers = new StringBuilder();
            string? id = null;
            while (r.Read())
            {
                if (r.TokenType != JsonTokenType.PropertyName) continue;
                if (r.CurrentDepth == 1)
                {
                    if (r.ValueTextEquals("records")) break;
                    if (r.ValueTextEquals("returned") && r.Read()) returned = r.GetInt32();
                    else if (r.ValueTextEquals("elapsedMs") && r.Read()) elapsed = r.GetDouble();
                }
                else if (r.CurrentDepth == 3) // providers[i].member
                {
                    if (r.ValueTextEquals("id") && r.Read()) id = r.GetString();
                    else if (r.ValueTextEquals("status") && r.Read())
                    {
                        var status = r.GetString();
                        allOk &= status == "ok";
                        providers.Append(id).Append('=').Append(status).Append(' ');
                    }
                    else if (r.ValueTextEquals("elapsedMs") && r.Read()) slowest = Math.Max(slowest, r.GetDouble());
                }
            }
            return new SearchHead(returned, elapsed, slowest, allOk, providers.ToString());
        }
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

    internal static int Arg(string[] args, string name, int defaultValue)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : defaultValue;
    }

    internal static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    /// <summary>
    /// The broker's garbage-collector counters from its own /metrics (the .NET runtime meter): what the CPU figure (b)
    /// spends on memory, read on a loaded machine as well as on a quiet one (bytes and collections do not depend on load).
    /// </summary>
    private sealed record GcFigures(double AllocatedBytes, double PauseSeconds, double Gen0, double Gen1, double Gen2)
    {
        public static async Task<GcFigures> ReadAsync(HttpClient http)
        {
            var text = await http.GetStringAsync("/metrics");
            double Sum(string name, string? generation = null) => text.Split('\n')
                .Where(l => l.StartsWith(name, StringComparison.Ordinal) && (generation is null || l.Contains($"gc_heap_generation=\"{generation}\"", StringComparison.Ordinal)))
                .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
            return new GcFigures(Sum("dotnet_gc_heap_total_allocated_bytes_total"), Sum("dotnet_gc_pause_time_seconds_total"),
                Sum("dotnet_gc_collections_total", "gen0"), Sum("dotnet_gc_collections_total", "gen1"), Sum("dotnet_gc_collections_total", "gen2"));
        }

        public string Since(GcFigures before, TimeSpan wall, double thousands) => string.Create(CultureInfo.InvariantCulture,
            $"{(AllocatedBytes - before.AllocatedBytes) / thousands / (1 << 20):0.00} MB allocated per 1,000 records, " +
            $"paused {(PauseSeconds - before.PauseSeconds) / wall.TotalSeconds:0.0%} of the time, " +
            $"collections gen0 {Gen0 - before.Gen0:0} / gen1 {Gen1 - before.Gen1:0} / gen2 {Gen2 - before.Gen2:0}");
    }
}
