using System.Diagnostics;
using System.Globalization;
using Broker.VoTable;
using Broker.VoTable.Tests.Helpers;

namespace Broker.Bench;

/// <summary>
/// <c>votable</c>: reads the same N-row, 8-column table as TABLEDATA and BINARY2 with Broker.VoTable, astropy and
/// STILTS in one run and prints rows/s and ratios, then measures peak memory for a 1,000,000-row generated stream.
/// Options: <c>--rows N</c> (200000), <c>--reps N</c> (7), <c>--astropy-reps N</c> (3), <c>--stilts-reps N</c> (3),
/// <c>--stilts-scale K</c> (5; 0 = no marginal STILTS figure), <c>--stream-rows N</c> (1000000; 0 = skip),
/// <c>--dir PATH</c> (keep the files there), <c>--no-astropy</c>, <c>--no-stilts</c>.
/// </summary>
internal static class VoTableBench
{
    private const double AstropyGoal = 5.0;
    private const long MemoryGoalBytes = 200L * 1024 * 1024;

    /// <summary>One reader's figures: best and median seconds for <paramref name="Rows"/> rows.</summary>
    private sealed record Row(string Format, string Reader, double Best, double Median, long Rows, string Note = "")
    {
        public Row(string format, string reader, List<double> seconds, long rows, string note = "")
            : this(format, reader, seconds.Min(), VoTableBench.Median(seconds), rows, note) { }

        public double BestRate => Rows / Best;
        public double MedianRate => Rows / Median;

        /// <summary>The STILTS figure with JVM start-up in it: shown, but not a goal.</summary>
        public bool IsInformative => Reader.EndsWith(" wall", StringComparison.Ordinal);
    }

    public static async Task<int> RunAsync(string[] args, CancellationToken ct = default)
    {
        if (args.Length > 0 && args[0] == VoTableBenchMemory.ChildVerb) return await VoTableBenchMemory.RunChildAsync(args[1..]).ConfigureAwait(false);
        var o = Options.Parse(args);
        var dir = o.Dir ?? Path.Combine(Path.GetTempPath(), $"broker-votable-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            return await RunInAsync(o, dir, ct).ConfigureAwait(false);
        }
        finally
        {
            if (o.Dir is null) Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<int> RunInAsync(Options o, string dir, CancellationToken ct)
    {
        Console.WriteLine($"VOTable read benchmark: {o.Rows:N0} rows x {GeneratedVoTableStream.Fields.Length} columns (long, double, double, float, int, char timestamp, char, boolean; every 10th row has nulls)");
        Console.WriteLine($"load average at start: {LoadAverage()}   cores: {Environment.ProcessorCount}   .NET {Environment.Version}");
        var results = new List<Row>();
        var pass = true;
        foreach (var serialization in new[] { VoTableSerialization.TableData, VoTableSerialization.Binary2 })
        {
            var format = serialization == VoTableSerialization.TableData ? "TABLEDATA" : "BINARY2";
            var path = Path.Combine(dir, $"bench-{format.ToLowerInvariant()}-{o.Rows}.vot");
            await VoTableBenchData.WriteFileAsync(path, o.Rows, serialization, ct).ConfigureAwait(false);
            Console.WriteLine($"{format}: {new FileInfo(path).Length / 1e6:F1} MB written with VoTableWriter to {path}");

            var ours = new Row(format, "Broker.VoTable", await TimeOursAsync(path, o.Rows, o.Reps, ct).ConfigureAwait(false), o.Rows,
                $"in-process, {o.Reps} reps after 1 warm-up");
            results.Add(ours);
            if (o.Astropy)
            {
                var (version, secs) = await VoTableBenchExternal.RunAstropyAsync(path, o.Rows, o.AstropyReps, ct).ConfigureAwait(false);
                results.Add(new Row(format, $"astropy {version}", secs, o.Rows, "timed inside Python: excludes interpreter start-up and import"));
            }
            if (o.Stilts) results.AddRange(await TimeStiltsAsync(o, format, serialization, path, dir, ct).ConfigureAwait(false));
        }

        Console.WriteLine();
        Console.WriteLine($"{"format",-10} {"reader",-27} {"rows",9} {"best s",7} {"median s",8} {"rows/s best",12} {"rows/s median",13} {"ours/this best",14} {"median",7}  note");
        foreach (var r in results)
        {
            var ours = Ours(results, r.Format);
            Console.WriteLine($"{r.Format,-10} {r.Reader,-27} {r.Rows,9} {r.Best,7:F3} {r.Median,8:F3} {r.BestRate,12:N0} {r.MedianRate,13:N0} " +
                $"{ours.BestRate / r.BestRate,13:F2}x {ours.MedianRate / r.MedianRate,6:F2}x  {r.Note}");
        }
        Console.WriteLine();
        Console.WriteLine("goals (best vs best; the median ratio is shown too; STILTS wall time with JVM start is not a goal):");
        foreach (var other in results.Where(r => r.Reader != "Broker.VoTable" && !r.IsInformative))
        {
            var ours = Ours(results, other.Format);
            var goal = other.Reader.StartsWith("astropy", StringComparison.Ordinal) ? AstropyGoal : 1.0;
            var ratio = ours.BestRate / other.BestRate;
            var ok = ratio >= goal;
            pass &= ok;
            Console.WriteLine($"  {other.Format,-10} ours >= {goal:0.#}x {other.Reader,-27}: {ratio,6:F2}x (median {ours.MedianRate / other.MedianRate:F2}x) {(ok ? "MET" : "MISSED")}");
        }

        if (o.StreamRows > 0)
        {
            Console.WriteLine();
            foreach (var serialization in new[] { VoTableSerialization.TableData, VoTableSerialization.Binary2 })
            {
                var m = await VoTableBenchMemory.MeasureAsync(serialization, o.StreamRows, ct).ConfigureAwait(false);
                var ok = m.PeakWorkingSetBytes <= MemoryGoalBytes;
                pass &= ok;
                Console.WriteLine($"memory {serialization,-9} {m.Rows:N0}-row generated non-seekable stream ({m.DocumentBytes / 1e6:F0} MB document) in a child process: " +
                    $"peak working set {m.PeakWorkingSetBytes / 1048576.0:F1} MB (goal <= 200 MB: {(ok ? "MET" : "MISSED")}), " +
                    $"peak managed heap {m.PeakManagedBytes / 1048576.0:F1} MB, allocated {m.AllocatedBytes / 1048576.0:F0} MB total, {m.Seconds:F2} s incl. generation");
            }
        }
        Console.WriteLine();
        Console.WriteLine($"load average at end: {LoadAverage()}");
        Console.WriteLine(pass ? "all goals met" : "some goals missed");
        return pass ? 0 : 3;
    }

    private static async Task<List<double>> TimeOursAsync(string path, long rows, int reps, CancellationToken ct)
    {
        var seconds = new List<double>();
        for (var i = 0; i <= reps; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var sw = Stopwatch.StartNew();
            long count = 0, idSum = 0;
            await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true))
            await using (var reader = await VoTableReader.OpenAsync(file, ct).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    idSum += (long)reader.Current[0]!;
                    count++;
                }
            }
            sw.Stop();
            if (count != rows || idSum != rows * (rows - 1) / 2) throw new InvalidOperationException($"read {count} rows from {path}, expected {rows}");
            if (i > 0) seconds.Add(sw.Elapsed.TotalSeconds); // i == 0 is the JIT warm-up
        }
        return seconds;
    }

    private static async Task<List<Row>> TimeStiltsAsync(Options o, string format, VoTableSerialization serialization, string path, string dir, CancellationToken ct)
    {
        var version = await VoTableBenchExternal.StiltsVersionAsync(ct).ConfigureAwait(false);
        List<double> wall = [], task = [];
        for (var i = 0; i < o.StiltsReps; i++)
        {
            var (w, t) = await VoTableBenchExternal.RunStiltsAsync(path, o.Rows, ct).ConfigureAwait(false);
            wall.Add(w);
            if (t is { } tt) task.Add(tt);
        }
        var rows = new List<Row> { new(format, $"stilts {version} wall", wall, o.Rows, "tpipe omode=count, wall time incl. JVM start (not a goal)") };
        if (task.Count == wall.Count)
            rows.Add(new(format, $"stilts {version} -bench", task, o.Rows, "STILTS' own elapsed time (-bench, 0.1 s resolution)"));
        if (o.StiltsScale > 1)
        {
            // The marginal rate (big file minus small file) cancels JVM start-up and class loading.
            var bigRows = o.Rows * o.StiltsScale;
            var big = Path.Combine(dir, $"bench-{format.ToLowerInvariant()}-{bigRows}.vot");
            await VoTableBenchData.WriteFileAsync(big, bigRows, serialization, ct).ConfigureAwait(false);
            var bigWall = new List<double>();
            for (var i = 0; i < o.StiltsReps; i++) bigWall.Add((await VoTableBenchExternal.RunStiltsAsync(big, bigRows, ct).ConfigureAwait(false)).WallSeconds);
            File.Delete(big);
            // best = best(big) - best(small), median = median(big) - median(small), over bigRows - rows rows
            rows.Add(new(format, $"stilts {version} marginal", Math.Max(bigWall.Min() - wall.Min(), 1e-3),
                Math.Max(Median(bigWall) - Median(wall), 1e-3), bigRows - o.Rows,
                $"wall({bigRows:N0} rows) - wall({o.Rows:N0} rows): JVM start cancelled"));
        }
        return rows;
    }

    private static Row Ours(List<Row> results, string format) => results.First(x => x.Format == format && x.Reader == "Broker.VoTable");

    internal static double Median(List<double> xs)
    {
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private sealed class Options
    {
        public long Rows { get; private set; } = 200_000;
        public int Reps { get; private set; } = 7;
        public int AstropyReps { get; private set; } = 3;
        public int StiltsReps { get; private set; } = 3;
        public int StiltsScale { get; private set; } = 5;
        public long StreamRows { get; private set; } = 1_000_000;
        public string? Dir { get; private set; }
        public bool Astropy { get; private set; } = true;
        public bool Stilts { get; private set; } = true;

        public static Options Parse(string[] args)
        {
            var o = new Options();
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                long Number() => long.Parse(Next(), NumberStyles.None, CultureInfo.InvariantCulture);
                switch (args[i])
                {
                    case "--rows": o.Rows = Number(); break;
                    case "--reps": o.Reps = (int)Number(); break;
                    case "--astropy-reps": o.AstropyReps = (int)Number(); break;
                    case "--stilts-reps": o.StiltsReps = (int)Number(); break;
                    case "--stilts-scale": o.StiltsScale = (int)Number(); break;
                    case "--stream-rows": o.StreamRows = Number(); break;
                    case "--dir": o.Dir = Next(); break;
                    case "--no-astropy": o.Astropy = false; break;
                    case "--no-stilts": o.Stilts = false; break;
                    default: throw new ArgumentException($"unknown votable option '{args[i]}'");
                }
            }
            if (o.Rows < 1 || o.Reps < 1 || o.AstropyReps < 1 || o.StiltsReps < 1) throw new ArgumentException("counts must be >= 1");
            return o;
        }
    }
}
