using System.Diagnostics;
using System.Text.Json;

namespace Broker.EndToEnd.Tests.Soap;

/// <summary>
/// Runs one of the compatibility scripts (copied to the test output under <c>compat/</c>) with Debian's
/// <c>/usr/bin/python3</c> — the only interpreter that loads Debian's sunpy and zeep — with a hard timeout.
/// </summary>
internal static class PythonClient
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>The script's output: exit code, stdout and stderr, and the JSON lines stdout holds.</summary>
    public sealed record Run(string Script, int ExitCode, string Stdout, string Stderr)
    {
        /// <summary>Everything, for an assertion message.</summary>
        public override string ToString() => $"{Script} exited {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";

        /// <summary>The JSON objects printed one per line.</summary>
        public IEnumerable<JsonElement> Lines() => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone());

        /// <summary>The first printed object that has <paramref name="property"/> (optionally with a given string value).</summary>
        public JsonElement Line(string property, string? value = null) =>
            Lines().FirstOrDefault(l => l.TryGetProperty(property, out var p) && (value is null || p.ValueKind == JsonValueKind.String && p.GetString() == value)) is { ValueKind: JsonValueKind.Object } found
                ? found
                : throw new Xunit.Sdk.XunitException($"no output line with {property}{(value is null ? "" : "=" + value)}\n{this}");
    }

    /// <summary>Runs the script and fails the test when it exits non-zero or does not finish in time.</summary>
    public static Task<Run> RunAsync(string script, params string[] arguments) => RunAsync(script, new Dictionary<string, string>(), arguments);

    /// <summary>Runs the script with extra environment variables (e.g. SSL_CERT_FILE).</summary>
    public static async Task<Run> RunAsync(string script, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "compat", script);
        Assert.True(File.Exists(path), $"{path} was not copied to the test output");
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(path);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        // sunpy and astropy write their configuration and caches under HOME: keep them out of the real one.
        var home = Directory.CreateTempSubdirectory("compat-home").FullName;
        start.Environment["HOME"] = home;
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        // The client packages of clients/python (copied to the output), importable as Debian's Python packages are.
        start.Environment["PYTHONPATH"] = Path.Combine(AppContext.BaseDirectory, "clients", "python");
        start.Environment["NO_PROXY"] = "127.0.0.1,localhost";
        start.Environment.Remove("HTTP_PROXY");
        start.Environment.Remove("http_proxy");
        foreach (var (name, value) in environment) start.Environment[name] = value;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"{script} did not finish within {Timeout}\n--- stdout ---\n{await stdout}\n--- stderr ---\n{await stderr}");
        }
        finally
        {
            try { Directory.Delete(home, recursive: true); } catch (IOException) { }
        }
        var run = new Run(script, process.ExitCode, await stdout, await stderr);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run;
    }
}
