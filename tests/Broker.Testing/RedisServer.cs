using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Broker.Testing;

/// <summary>
/// A real <c>redis-server</c> process for tests: 127.0.0.1 on a free port, a private temp directory, no persistence
/// (<c>--save "" --appendonly no</c>). <see cref="StopAsync"/> and <see cref="RestartAsync"/> take it down and bring
/// it back on the SAME port, so clients can be tested through an outage.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _directory;
    private Process? _process;

    private readonly string _executable;
    private readonly IReadOnlyList<string> _arguments;

    private RedisServer(int port, string directory, string executable, IReadOnlyList<string> arguments)
    {
        Port = port;
        _directory = directory;
        _executable = executable;
        _arguments = arguments;
    }

    /// <summary>The server's private directory (config files, cluster node table).</summary>
    public string Directory => _directory;

    /// <summary>The TCP port, fixed for the life of this object (also across restarts).</summary>
    public int Port { get; }

    /// <summary>A StackExchange.Redis configuration string for this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>True while the process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a new server and waits until it answers PING.</summary>
    public static Task<RedisServer> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync([], null, "redis-server", cancellationToken);

    /// <summary>
    /// Starts a new server with extra command-line options (e.g. <c>--cluster-enabled yes</c>, <c>--replicaof</c>), or
    /// with a config file written by <paramref name="configFile"/> (given the directory and the port; a Sentinel needs
    /// one it can rewrite), and waits until it answers PING. <paramref name="executable"/> is <c>redis-server</c> or <c>redis-sentinel</c>.
    /// </summary>
    public static async Task<RedisServer> StartAsync(IReadOnlyList<string> extraArguments, Func<string, int, string>? configFile,
        string executable, CancellationToken cancellationToken = default)
    {
        var directory = Path.Combine(Path.GetTempPath(), "broker-redis-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var port = FreePort();
        var arguments = new List<string>();
        if (configFile is not null)
        {
            var path = Path.Combine(directory, "redis.conf");
            await File.WriteAllTextAsync(path, configFile(directory, port), cancellationToken).ConfigureAwait(false);
            arguments.Add(path);
        }
        arguments.AddRange(extraArguments);
        var server = new RedisServer(port, directory, executable, arguments);
        await server.RestartAsync(cancellationToken).ConfigureAwait(false);
        return server;
    }

    /// <summary>Starts the server again on the same port (after <see cref="StopAsync"/>); a no-op when it runs.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning) return;
        var start = new ProcessStartInfo(_executable)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _directory,
        };
        foreach (var arg in _arguments) start.ArgumentList.Add(arg);
        foreach (var arg in new[]
                 {
                     "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--dir", _directory, "--save", "", "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no",
                 })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{_executable} did not start");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        // A freshly stopped server's port may take a moment to be bindable again; redis exits at once when it is not.
        await Wait.UntilAsync(async () =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                string log;
                lock (output) log = output.ToString();
                throw new InvalidOperationException($"{_executable} exited with code {process.ExitCode}: {log}");
            }
            return await CommandAsync("PING", cancellationToken).ConfigureAwait(false) == "+PONG";
        }, $"redis-server on port {Port} to answer PING").ConfigureAwait(false);
    }

    /// <summary>Kills the server (like a crash) and waits until the port is closed.</summary>
    public async Task StopAsync()
    {
        var process = _process;
        if (process is null) return;
        _process = null;
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync().ConfigureAwait(false);
        process.Dispose();
    }

    /// <summary>Sends one inline command (e.g. "FLUSHALL") and returns the first reply line, or null when unreachable.</summary>
    public async Task<string?> CommandAsync(string command, CancellationToken cancellationToken = default)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"), timeout.Token).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            return await reader.ReadLineAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    /// <summary>Runs <c>redis-cli</c> against this server and returns what it printed (empty when unreachable).</summary>
    public async Task<string> CliAsync(params string[] arguments)
    {
        try
        {
            return await RedisCli.RunAsync(["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. arguments])
                .ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            return "";
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
