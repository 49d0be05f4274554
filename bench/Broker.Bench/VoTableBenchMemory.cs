using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Broker.VoTable;
using Broker.VoTable.Tests.Helpers;

namespace Broker.Bench;

/// <summary>
/// Peak-memory measurement: a child process of this benchmark reads a generated (never materialized),
/// non-seekable 1,000,000-row stream and reports its own peak resident set, so the figure covers the whole
/// process (runtime, JIT, generator and reader) and nothing left over from the timing runs.
/// </summary>
internal static class VoTableBenchMemory
{
    public const string ChildVerb = "memory-child";

    public sealed record Result(long Rows, long DocumentBytes, long PeakWorkingSetBytes, long PeakManagedBytes, long AllocatedBytes, double Seconds);

    /// <summary>Runs the child for one serialization and parses its report.</summary>
    public static async Task<Result> MeasureAsync(VoTableSerialization serialization, long rows, CancellationToken ct)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("unknown process path");
        var args = new List<string>();
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") args.Add(Assembly.GetEntryAssembly()!.Location);
        args.AddRange(["votable", ChildVerb, serialization.ToString(), rows.ToString(CultureInfo.InvariantCulture)]);
        var r = await VoTableBenchExternal.RunAsync(self, args, ct).ConfigureAwait(false);
        if (r.ExitCode != 0) throw new InvalidOperationException($"memory child failed ({r.ExitCode}): {r.StdErr}");
        var v = r.StdOut.Trim().Split(' ').Select(s => s.Split('=')).ToDictionary(p => p[0], p => p[1]);
        long L(string k) => long.Parse(v[k], CultureInfo.InvariantCulture);
        return new Result(L("rows"), L("bytes"), L("peakWorkingSet"), L("peakManaged"), L("allocated"),
            double.Parse(v["seconds"], CultureInfo.InvariantCulture));
    }

    /// <summary>Child entry point: <c>memory-child &lt;TableData|Binary2&gt; &lt;rows&gt;</c>.</summary>
    public static async Task<int> RunChildAsync(string[] args)
    {
        var serialization = Enum.Parse<VoTableSerialization>(args[0], ignoreCase: true);
        var rows = long.Parse(args[1], CultureInfo.InvariantCulture);
        var source = new GeneratedVoTableStream(rows, serialization);
        long count = 0, idSum = 0, peakManaged = 0;
        var sw = Stopwatch.StartNew();
        await using (var reader = await VoTableReader.OpenAsync(source).ConfigureAwait(false))
        {
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                idSum += (long)reader.Current[0]!;
                if (++count % 50_000 == 0) peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(false));
            }
        }
        sw.Stop();
        if (count != rows || idSum != rows * (rows - 1) / 2)
        {
            Console.Error.WriteLine($"read {count} rows (id sum {idSum}), expected {rows}");
            return 1;
        }
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rows={count} bytes={source.BytesProduced} peakWorkingSet={PeakResident(self)} peakManaged={peakManaged} allocated={GC.GetTotalAllocatedBytes()} seconds={sw.Elapsed.TotalSeconds:F3}"));
        return 0;
    }

    /// <summary>VmHWM (the kernel's peak resident set) on Linux; Process.PeakWorkingSet64 elsewhere.</summary>
    private static long PeakResident(Process self)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
        }
        return self.PeakWorkingSet64;
    }
}
