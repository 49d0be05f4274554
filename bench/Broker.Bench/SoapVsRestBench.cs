using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Broker.Simulators;
using Broker.EndToEnd.Tests.Infrastructure;

namespace Broker.Bench;

/// <summary>
/// The VSO's claim that REST/TAP answers are much lighter than SOAP ones, measured on this broker: the same
/// 1,000-record query through <c>GET /api/v1/search</c> (JSON and CSV), the VSOi SOAP <c>Query</c> (sunpy/zeep's
/// rpc/literal door) and the IDL tab-delimited door, N times each, round-robin so drift hits every door alike.
/// Prints bytes (raw and gzip-compressed for reference), p50/p99 client latency to the last byte, and the ratios
/// to REST JSON. <c>--dump DIR</c> writes the answers. Run once with the broker's answer cache on (the doors' own cost: merge and write) and once with it
/// off (every search also calls the simulated TAP provider).
/// </summary>
internal static partial class SoapVsRestBench
{
    private const string SoapEnvelopeNs = "http://schemas.xmlsoap.org/soap/envelope/";
    private const string VsoiNs = "http://virtualsolar.org/VSO/VSOi";

    private sealed record Door(string Name, Func<HttpClient, HttpRequestMessage> Request, Func<byte[], int> CountRecords);

    public static async Task<int> RunAsync(string[] args)
    {
        var records = Arg(args, "--records", 1000);
        var iterations = Arg(args, "--iterations", 200);
        var warmup = Arg(args, "--warmup", 20);
        var dump = Array.IndexOf(args, "--dump") is var d and >= 0 && d + 1 < args.Length ? args[d + 1] : null;

        await using var sims = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Providers = [new SimulatedProviderOptions { Name = "bench", Kind = SimulatorKind.Bench, Seed = 42, RecordCount = records }],
        });
        var window = sims.Options("bench").BenchWindowStart;
        var end = window.AddHours(1);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"soap-vs-rest: one ObsCore TAP simulator, the same {records}-record query through each door, {iterations} runs each after {warmup} warm-up runs; load {Load()}"));

        foreach (var cache in new[] { true, false })
        {
            var yaml = $"providers:\n  bench:\n    type: tap\n    url: {sims.TapUrl("bench")}\n" +
                       (cache ? "" : "    cache: { enabled: false }\n") +
                       "    resilience: { timeout: 20s, retries: 0, concurrency: 64 }\n    options: { profile: obscore, mode: sync, format: binary2 }\n";
            await using var broker = await BrokerHost.StartAsync(yaml, new Dictionary<string, string>
            {
                ["Sessions:RateLimitPerMinute"] = "0",
                ["Search:DefaultLimit"] = "100000",
            });
            using var http = new HttpClient { BaseAddress = broker.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
            var session = (await http.PostAsync("/api/v1/sessions", null)).Headers.GetValues("VSO-Session").First();
            http.DefaultRequestHeaders.Add("VSO-Session", session);

            var doors = Doors(window, end);
            var samples = doors.ToDictionary(d => d.Name, _ => new List<double>());
            var bytes = new Dictionary<string, byte[]>();
            for (var i = 0; i < warmup + iterations; i++)
            {
                foreach (var door in doors)
                {
                    var (ms, body) = await CallAsync(http, door);
                    if (i == 0)
                    {
                        var count = door.CountRecords(body);
                        if (count != records) throw new InvalidOperationException($"{door.Name}: expected {records} records, got {count}");
                        bytes[door.Name] = body;
                    }
                    if (i >= warmup) samples[door.Name].Add(ms);
                }
            }
            Print(cache, doors, samples, bytes, records);
            if (dump is not null && cache) Dump(dump, bytes);
        }
        return 0;
    }

    private static List<Door> Doors(DateTime start, DateTime end)
    {
        var iso = $"start={start:yyyy-MM-ddTHH:mm:ss}Z&end={end:yyyy-MM-ddTHH:mm:ss}Z";
        var vsoStart = start.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var vsoEnd = end.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        // The envelope zeep sends for VSOClient.search(a.Time(...)): rpc/literal, one block with the time.
        var query = $"""<?xml version='1.0' encoding='utf-8'?><soap-env:Envelope xmlns:soap-env="{SoapEnvelopeNs}"><soap-env:Body><ns0:Query xmlns:ns0="{VsoiNs}"><body><block><time><start>{vsoStart}</start><end>{vsoEnd}</end></time></block></body></ns0:Query></soap-env:Body></soap-env:Envelope>""";
        var idl = $"""<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns="{VsoiNs}" xmlns:SOAP-ENV="{SoapEnvelopeNs}"><SOAP-ENV:Body><Query><block><time><start>{vsoStart}</start><end>{vsoEnd}</end></time><sample>0</sample></block><version>0.600000</version></Query></SOAP-ENV:Body></SOAP-ENV:Envelope>""";
        return
        [
            new("REST JSON", _ => new HttpRequestMessage(HttpMethod.Get, "/api/v1/search?" + iso), CountJson),
            new("REST CSV", _ => new HttpRequestMessage(HttpMethod.Get, "/api/v1/search?format=csv&" + iso), CountCsv),
            new("SOAP Query", _ => Soap("/soap/vsoi", query), body => Occurrences(body, "<fileid>")),
            new("IDL tabdelim", _ => Soap("/soap/vsoi_tabdelim", idl), CountFlatTable),
        ];
    }

    private static HttpRequestMessage Soap(string path, string envelope)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(envelope, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("SOAPAction", $"\"{VsoiNs}#Query\"");
        return request;
    }

    private static async Task<(double Ms, byte[] Body)> CallAsync(HttpClient http, Door door)
    {
        using var request = door.Request(http);
        var sw = Stopwatch.StartNew();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        var body = await response.Content.ReadAsByteArrayAsync();
        var ms = sw.Elapsed.TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{door.Name}: HTTP {(int)response.StatusCode} {Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 500))}");
        return (ms, body);
    }

    private static void Print(bool cache, List<Door> doors, Dictionary<string, List<double>> samples, Dictionary<string, byte[]> bytes, int records)
    {
        Console.WriteLine();
        Console.WriteLine(cache
            ? "answer cache ON (repeat searches are answered from the broker's cache: the doors' own cost)"
            : "answer cache OFF (every search also calls the simulated TAP provider)");
        Console.WriteLine($"  {"door",-13} {"bytes",10} {"B/record",9} {"gzip bytes",11} {"p50 ms",8} {"p99 ms",8}  {"bytes ×JSON",11} {"p50 ×JSON",9} {"p99 ×JSON",9}");
        var json = doors[0].Name;
        var jsonP = new Percentiles(samples[json]);
        foreach (var door in doors)
        {
            var p = new Percentiles(samples[door.Name]);
            var size = bytes[door.Name].Length;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {door.Name,-13} {size,10:N0} {size / (double)records,9:0} {Gzip(bytes[door.Name]),11:N0} {p.At(50),8:0.00} {p.At(99),8:0.00}  {size / (double)bytes[json].Length,11:0.00} {p.At(50) / jsonP.At(50),9:0.00} {p.At(99) / jsonP.At(99),9:0.00}"));
        }
    }

    /// <summary>Writes the first answer of every door to a directory, to look at what the bytes are spent on.</summary>
    private static void Dump(string directory, Dictionary<string, byte[]> bytes)
    {
        Directory.CreateDirectory(directory);
        foreach (var (door, body) in bytes)
            File.WriteAllBytes(Path.Combine(directory, door.Replace(' ', '-').ToLowerInvariant() + ".txt"), body);
        Console.WriteLine($"  answers written to {directory}");
    }

    private static int Gzip(byte[] body)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(body);
        return (int)buffer.Length;
    }

    private static int CountJson(byte[] body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("returned").GetInt32();
    }

    private static int CountCsv(byte[] body) =>
        Encoding.UTF8.GetString(body).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1;

    private static int CountFlatTable(byte[] body)
    {
        var match = FlatTable().Match(Encoding.UTF8.GetString(body));
        if (!match.Success) throw new InvalidOperationException("no FlatTable in the IDL answer");
        // Each provider block: a header line, then one line per record.
        return match.Groups[1].Value.Split("\r\n\r\n").Sum(block => block.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries).Length - 1);
    }

    private static int Occurrences(byte[] body, string token)
    {
        var text = Encoding.UTF8.GetString(body);
        int count = 0, at = 0;
        while ((at = text.IndexOf(token, at, StringComparison.Ordinal)) >= 0) { count++; at += token.Length; }
        return count;
    }

    private static int Arg(string[] args, string name, int defaultValue)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : defaultValue;
    }

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    [GeneratedRegex("<FlatTable[^>]*>([^<]*)</FlatTable>")]
    private static partial Regex FlatTable();
}
