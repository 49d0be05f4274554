using System.Diagnostics;

namespace Broker.Testing;

/// <summary>
/// Runs a client script (tests/compat, e.g. SunPy's VSOClient, zeep, pyvo) with Debian's <c>/usr/bin/python3</c> — the
/// only interpreter that loads Debian's sunpy, zeep and astropy — with a HOME of its own (they write configuration and
/// caches there; a HOME shared by two scripts running at once is shared state), no proxy for loopback, and a hard
/// timeout after which the script is killed.
/// </summary>
public static class PythonScript
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>How the script ended and what it printed.</summary>
    public sealed record Result(string Script, int ExitCode, string Stdout, string Stderr)
    {
        /// <summary>Everything, for an assertion message.</summary>
        public override string ToString() => $"{Script} exited {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
    }

    /// <summary>
    /// Runs the script at <paramref name="path"/> (or, with <c>-c</c>, the code that is the first argument) with
    /// <paramref name="arguments"/> and extra environment variables;
    /// throws <see cref="TimeoutException"/> with its output when it does not finish within <see cref="Timeout"/>.
    /// </summary>
    public static async Task<Result> RunAsync(string path, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var script = Path.GetFileName(path);
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(path);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var home = Directory.CreateTempSubdirectory("compat-home").FullName;
        start.Environment["HOME"] = home;
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        start.Environment["NO_PROXY"] = "127.0.0.1,localhost";
        start.Environment.Remove("HTTP_PROXY");
        start.Environment.Remove("http_proxy");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException("/usr/bin/python3 did not start");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // A hung client must not outlive the test: kill it and report what it printed so far.
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().ConfigureAwait(false);
                throw new TimeoutException(new Result(script, -1, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false))
                    + $"\n{script} did not finish within {Timeout.TotalMinutes:0} minutes");
            }
            return new Result(script, process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
        }
        finally
        {
            try
            {
                Directory.Delete(home, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp directory is harmless.
            }
        }
    }
}
