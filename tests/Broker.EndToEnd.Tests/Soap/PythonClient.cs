using System.Text.Json;
using Broker.Testing;

namespace Broker.EndToEnd.Tests.Soap;

/// <summary>
/// Runs one of the compatibility scripts (copied to the test output under <c>compat/</c>) through
/// <see cref="PythonScript"/>, with this repository's client packages importable, and reads the JSON lines it prints.
/// </summary>
internal static class PythonClient
{
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
        // The client packages of clients/python (copied to the output), importable as Debian's Python packages are.
        var withClients = new Dictionary<string, string>(environment) { ["PYTHONPATH"] = Path.Combine(AppContext.BaseDirectory, "clients", "python") };
        var result = await PythonScript.RunAsync(path, arguments, withClients);
        var run = new Run(script, result.ExitCode, result.Stdout, result.Stderr);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run;
    }
}
