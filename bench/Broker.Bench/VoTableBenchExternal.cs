using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Broker.Bench;

/// <summary>Runs the comparison readers (astropy, STILTS) as child processes.</summary>
internal static partial class VoTableBenchExternal
{
    public const string Python = "/usr/bin/python3";

    // Times parse_single_table(...).to_table() inside Python with perf_counter, so interpreter start-up and the
    // astropy import are excluded; each repetition prints "<rows> <seconds>".
    private const string AstropyScript = """
        import sys, time, warnings
        warnings.simplefilter("ignore")
        import astropy
        from astropy.io.votable import parse_single_table
        print("version", astropy.__version__, flush=True)
        path, reps = sys.argv[1], int(sys.argv[2])
        for _ in range(reps):
            t0 = time.perf_counter()
            table = parse_single_table(path).to_table()
            dt = time.perf_counter() - t0
            print("run", len(table), repr(dt), flush=True)
        """;

    public sealed record ProcessResult(int ExitCode, string StdOut, string StdErr, TimeSpan Wall);

    /// <summary>Astropy's own per-run timings (seconds) and version.</summary>
    public static async Task<(string Version, List<double> Seconds)> RunAstropyAsync(string path, long expectedRows, int reps, CancellationToken ct)
    {
        var r = await RunAsync(Python, ["-c", AstropyScript, path, reps.ToString(CultureInfo.InvariantCulture)], ct).ConfigureAwait(false);
        if (r.ExitCode != 0) throw new InvalidOperationException($"astropy failed ({r.ExitCode}): {Tail(r.StdErr)}");
        var version = "?";
        var seconds = new List<double>();
        foreach (var line in r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ');
            if (parts[0] == "version") version = parts[1];
            else if (parts[0] == "run")
            {
                var rows = long.Parse(parts[1], CultureInfo.InvariantCulture);
                if (rows != expectedRows) throw new InvalidOperationException($"astropy read {rows} rows, expected {expectedRows}.");
                seconds.Add(double.Parse(parts[2], CultureInfo.InvariantCulture));
            }
        }
        return (version, seconds);
    }

    /// <summary>One <c>stilts -bench tpipe ... omode=count</c> run: wall time (JVM start included) and STILTS' own elapsed time.</summary>
    public static async Task<(double WallSeconds, double? TaskSeconds)> RunStiltsAsync(string path, long expectedRows, CancellationToken ct)
    {
        var r = await RunAsync("stilts", ["-bench", "tpipe", $"in={path}", "ifmt=votable", "omode=count"], ct).ConfigureAwait(false);
        if (r.ExitCode != 0) throw new InvalidOperationException($"stilts failed ({r.ExitCode}): {Tail(r.StdErr)}");
        var rows = RowsPattern().Match(r.StdOut);
        if (!rows.Success || long.Parse(rows.Groups[1].Value, CultureInfo.InvariantCulture) != expectedRows)
            throw new InvalidOperationException($"stilts did not report {expectedRows} rows: {Tail(r.StdOut)}");
        var elapsed = ElapsedPattern().Match(r.StdOut + "\n" + r.StdErr);
        double? task = elapsed.Success ? double.Parse(elapsed.Groups[1].Value, CultureInfo.InvariantCulture) : null;
        return (r.Wall.TotalSeconds, task);
    }

    public static async Task<string> StiltsVersionAsync(CancellationToken ct)
    {
        var r = await RunAsync("stilts", ["-version"], ct).ConfigureAwait(false);
        var m = Regex.Match(r.StdOut, @"STILTS version (\S+)");
        return m.Success ? m.Groups[1].Value : "?";
    }

    public static async Task<ProcessResult> RunAsync(string file, IReadOnlyList<string> args, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct).ConfigureAwait(false);
        sw.Stop();
        return new ProcessResult(p.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false), sw.Elapsed);
    }

    private static string Tail(string s) => s.Length > 2000 ? s[^2000..] : s;

    [GeneratedRegex(@"(?i)rows:\s*([0-9]+)")]
    private static partial Regex RowsPattern();

    // "-bench" makes STILTS print e.g. "Elapsed time: 1.234s" (format varies slightly between versions)
    [GeneratedRegex(@"(?i)elapsed[^0-9]*([0-9]+(?:\.[0-9]+)?)")]
    private static partial Regex ElapsedPattern();
}
