using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Broker.Bench;

/// <summary>
/// A program of this repository started as its own process (the simulators, the broker), so that a benchmark measures
/// each one's CPU apart: <see cref="CpuTime"/> reads the process's own user + system time.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ChildProcess(Process process) => _process = process;

    /// <summary>Starts <c>dotnet src/{project}/bin/{configuration}/net10.0/{project}.dll args…</c> and waits until <paramref name="ready"/> answers 200.</summary>
    public static async Task<ChildProcess> StartAsync(string project, IEnumerable<string> args, Uri ready)
    {
        var dll = Path.Combine(RepoRoot(), "src", project, "bin", Configuration(), "net10.0", project + ".dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"{dll} is not built (scripts/bench.sh builds it)");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[{project}] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var child = new ChildProcess(process);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"{project} exited with {process.ExitCode} before it was ready");
            try
            {
                using var response = await http.GetAsync(ready);
                if (response.IsSuccessStatusCode) return child;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (deadline.Elapsed > TimeSpan.FromMinutes(3))
            {
                await child.DisposeAsync();
                throw new TimeoutException($"{project} did not answer {ready} within 3 minutes");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>User + system CPU time the process has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>A TCP port free on 127.0.0.1 now.</summary>
    public static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Broker.sln"))) return dir.FullName;
        throw new InvalidOperationException("Broker.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Release or Debug: the configuration this benchmark was built in (the programs are built with it).</summary>
    private static string Configuration() =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
