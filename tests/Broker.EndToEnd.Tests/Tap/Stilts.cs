using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Broker.EndToEnd.Tests.Tap;

/// <summary>Runs Debian's <c>stilts</c> (taplint, votlint, datalinklint) with a hard timeout and returns its output.</summary>
internal static partial class Stilts
{
    public static async Task<string> RunAsync(TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("stilts") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["NO_PROXY"] = "127.0.0.1,localhost";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"stilts {string.Join(' ', arguments)} did not finish within {timeout}\n{await stdout}\n{await stderr}");
        }
        return await stdout + await stderr;
    }

    /// <summary>The counts of taplint's last line, <c>Totals: Errors: n; Warnings: n; …</c> (taplint exits 0 even with errors).</summary>
    public static (int Errors, int Warnings) Totals(string output)
    {
        var m = TotalsLine().Match(output);
        Assert.True(m.Success, "no Totals line in taplint output:\n" + output);
        return (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^Totals: Errors: (\d+); Warnings: (\d+)", RegexOptions.Multiline)]
    private static partial Regex TotalsLine();
}
