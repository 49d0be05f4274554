using System.Diagnostics;
using System.Globalization;
using Broker.EndToEnd.Tests.Dachs;
using Broker.EndToEnd.Tests.Infrastructure;
using Broker.Simulators;
using Broker.TapService.Schema;
using Broker.VoTable;

namespace Broker.Bench;

/// <summary>
/// The broker's TAP service against a real GAVO DaCHS (the DaCHS of the end-to-end tests: its own PostgreSQL cluster,
/// root and loopback port), in one run: sync TAP queries per second through each on comparable small queries (a
/// 10-row TAP_SCHEMA query, answered locally by both; a 10-row data query with a time window: DaCHS reads its
/// PostgreSQL table, the broker answers from its answer cache over a simulated SOAR provider, as it would for any
/// repeated query), the same number of requests from the same number of concurrent clients; then the cost of the
/// output formats (bytes and CPU time) for 100,000 vso.records rows written by the TAP service's writers.
/// </summary>
internal static class TapBench
{
    private const string BrokerData = "SELECT TOP 10 provider, fileid, instrument, time_start FROM vso.records " +
                                      "WHERE time_end >= '2022-03-21T08:00:00' AND time_start <= '2022-03-21T10:00:00'";
    private const string DachsData = "SELECT TOP 10 data_item_id, instrument, begin_time FROM brokertest.soar_data " +
                                     "WHERE end_time >= '2023-01-10T08:00:00' AND begin_time <= '2023-01-10T10:00:00'";
    private const string Schema = "SELECT TOP 10 table_name, description FROM TAP_SCHEMA.tables";

    public static async Task<int> RunAsync(string[] args)
    {
        var requests = Arg(args, "--requests", 200);
        var clients = Arg(args, "--clients", 1);
        var rows = Arg(args, "--rows", 100_000);
        Console.WriteLine($"tap: {requests} sync queries per server and query after {requests / 10} warm-up ones, {clients} concurrent clients, " +
                          $"CSV answers over loopback; load {Load()}");

        // First, while no server runs in this process: its CPU time is the writers'.
        OutputCost(rows);
        Console.WriteLine();
        Console.WriteLine("starting DaCHS (its own PostgreSQL cluster; about a minute) ...");
        await using var dachs = await DachsServer.StartNewAsync();
        await using var sims = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Providers = [new() { Name = "soar", Kind = SimulatorKind.Soar, Seed = 31, RecordCount = 5_000 }],
        });
        var yaml = $"providers:\n  soar:\n    type: tap\n    url: {sims.TapUrl("soar")}\n    options: {{ profile: soar, mode: sync }}\n";
        await using var broker = await BrokerHost.StartAsync(yaml, new Dictionary<string, string> { ["Sessions:RateLimitPerMinute"] = "0" });
        var brokerSync = new Uri(broker.BaseUrl, "tap/sync");
        var dachsSync = new Uri(dachs.TapUrl + "/sync");

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var figures = new List<(string Query, double Broker, double Dachs)>();
        foreach (var (name, brokerQuery, dachsQuery) in new[] { ("TAP_SCHEMA, 10 rows", Schema, Schema), ("data, time window, 10 rows", BrokerData, DachsData) })
        {
            var b = await RateAsync(http, brokerSync, brokerQuery, requests, clients);
            var d = await RateAsync(http, dachsSync, dachsQuery, requests, clients);
            figures.Add((name, b, d));
        }
        Console.WriteLine();
        Console.WriteLine("  sync TAP queries/s          broker      DaCHS    broker/DaCHS");
        foreach (var (query, b, d) in figures)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {query,-26} {b,8:0.0} {d,10:0.0} {b / d,12:0.0}×"));
        foreach (var (query, b, d) in figures) Ratios.Add($"TAP sync queries/s broker / DaCHS ({query})", b / d, "≥ 10");

        Console.WriteLine($"load at end {Load()}");
        return 0;
    }

    /// <summary>
    /// Queries per second: <paramref name="requests"/> sync queries from <paramref name="clients"/> concurrent loops (default one:
    /// DaCHS runs each sync query through its jobs table, and concurrent ones fail with "stale lock on the jobs table" on a loaded machine).
    /// </summary>
    private static async Task<double> RateAsync(HttpClient http, Uri sync, string query, int requests, int clients)
    {
        var first = await QueryAsync(http, sync, query);
        if (first.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length < 2)
            throw new InvalidOperationException($"{sync} answered no rows for {query}:\n{first}");
        await LoopAsync(http, sync, query, requests / 10, clients);
        var watch = Stopwatch.StartNew();
        await LoopAsync(http, sync, query, requests, clients);
        return requests / watch.Elapsed.TotalSeconds;
    }

    private static Task LoopAsync(HttpClient http, Uri sync, string query, int requests, int clients)
    {
        var next = 0;
        return Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= requests) await QueryAsync(http, sync, query);
        }));
    }

    private static async Task<string> QueryAsync(HttpClient http, Uri sync, string query)
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["REQUEST"] = "doQuery", ["LANG"] = "ADQL", ["FORMAT"] = "csv", ["QUERY"] = query,
        });
        using var response = await http.PostAsync(sync, content);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || text.TrimStart().StartsWith('<'))
            throw new InvalidOperationException($"{sync} rejected {query}: {(int)response.StatusCode}\n{text}");
        return text;
    }

    /// <summary>Bytes and CPU time of each output format for the same rows (best of three runs; this thread only).</summary>
    private static void OutputCost(int rowCount)
    {
        var fields = RecordTables.Records.Columns.Select(c => c.ToField()).ToList();
        var rows = Enumerable.Range(0, rowCount).Select(i => Row(RecordTables.Records.Columns, i)).ToList();
        Console.WriteLine($"  output of {rowCount:N0} vso.records rows ({fields.Count} columns)   bytes        CPU ms   bytes/row");
        var cost = new Dictionary<string, (long Bytes, double CpuMs)>();
        foreach (var format in new[] { "votable/b2", "votable", "json", "csv" })
        {
            var best = double.MaxValue;
            long bytes = 0;
            for (var run = 0; run < 3; run++)
            {
                var stream = new CountingStream();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                Write(format, stream, fields, rows);
                best = Math.Min(best, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds);
                bytes = stream.Length;
            }
            cost[format] = (bytes, best);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {TableWriters.GetContentType(Parse(format), format),-52} {bytes,12:N0} {best,10:0} {bytes / (double)rowCount,10:0.0}"));
        }
        Ratios.Add("TAP output TABLEDATA / BINARY2 bytes (100,000 rows)", cost["votable"].Bytes / (double)cost["votable/b2"].Bytes, "");
        Ratios.Add("TAP output TABLEDATA / BINARY2 CPU (100,000 rows)", cost["votable"].CpuMs / cost["votable/b2"].CpuMs, "");
        Ratios.Add("TAP output JSON / BINARY2 bytes (100,000 rows)", cost["json"].Bytes / (double)cost["votable/b2"].Bytes, "");
        Ratios.Add("TAP output JSON / BINARY2 CPU (100,000 rows)", cost["json"].CpuMs / cost["votable/b2"].CpuMs, "");
    }

    private static TableFormat Parse(string format) => TableWriters.TryParseFormat(format, out var f) ? f : throw new ArgumentException(format);

    private static void Write(string format, Stream stream, IReadOnlyList<TableField> fields, List<object?[]> rows)
    {
        // Synchronously on this thread, so the process CPU time is this writer's.
        Task.Run(async () =>
        {
            await using var writer = TableWriters.Create(format, stream, fields, new TableWriterOptions { TableName = "result" });
            foreach (var row in rows) await writer.WriteRowAsync(row);
            await writer.CompleteAsync();
        }).GetAwaiter().GetResult();
    }

    /// <summary>A SOAR-like vso.records row (values typed as the TAP service declares them, strings of realistic length).</summary>
    private static object?[] Row(IReadOnlyList<TapColumn> columns, int i)
    {
        var start = new DateTime(2022, 3, 21, 0, 0, 0, DateTimeKind.Utc).AddSeconds(i * 12);
        var file = string.Create(CultureInfo.InvariantCulture, $"solo_L2_eui-fsi174-image_{start:yyyyMMdd'T'HHmmss}{i % 1000:000}_V01");
        return columns.Select(c => (object?)(c.Name switch
        {
            "provider" => "soar",
            "fileid" => file,
            "source" => "SOLO",
            "instrument" => "EUI",
            "detector" => "FSI",
            "physobs" => "intensity",
            "data_level" => "L2",
            "time_start" => start,
            "time_end" => start.AddSeconds(10),
            "wavemin" => 171.0,
            "wavemax" => 177.0,
            "wavetype" => "narrow",
            "filesize" => 4096.0 + i % 1000,
            "info" => "EUI FSI 174 image",
            "datatype" => "IMAGE",
            "url" => "https://soar.esac.esa.int/soar-sl-tap/data?retrieval_type=LAST_PRODUCT&data_item_id=" + file,
            "content_type" => "application/fits",
            "thumbnail" => null,
            "datalink" => "http://127.0.0.1:8080/tap/links?ID=ivo%3A%2F%2Fvso.broker%2Fsoar%3F" + file,
            _ => c.Datatype switch
            {
                "char" when c.Xtype == "timestamp" => start,
                "char" => "x",
                "double" => 1.0,
                "long" => (long)i,
                "int" => i,
                _ => null,
            },
        })).ToArray();
    }

    private static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[..3] is var l ? string.Join(' ', l) : "";

    private static int Arg(string[] args, string name, int fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;

    /// <summary>Counts what a writer sends and keeps nothing.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            _length += count;
            return Task.CompletedTask;
        }
    }
}
