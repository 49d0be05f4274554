using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Broker.Testing;

/// <summary>
/// A real <c>redis-server</c> process for tests: 127.0.0.1 on a free port (<see cref="LoopbackPorts"/>: a port another
/// process took first is detected and the start retried on another), a private temp directory, no persistence
/// (<c>--save "" --appendonly no</c>). <see cref="StopAsync"/> and <see cref="RestartAsync"/> take it down and bring
/// it back on the SAME port, so clients can be tested through an outage.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _directory;
    private Process? _process;
    private StringBuilder _output = new();

    private readonly string _executable;
    private readonly IReadOnlyList<string> _arguments;

    private RedisServer(int port, int? busPort, string directory, string executable, IReadOnlyList<string> arguments)
    {
        Port = port;
        BusPort = busPort;
        _directory = directory;
        _executable = executable;
        _arguments = arguments;
    }

    /// <summary>The server's private directory (config files, cluster node table).</summary>
    public string Directory => _directory;

    /// <summary>The TCP port, fixed for the life of this object (also across restarts).</summary>
    public int Port { get; }

    /// <summary>The cluster bus port of a cluster node (<see cref="StartClusterNodeAsync"/>), else null.</summary>
    public int? BusPort { get; }

    /// <summary>What the current (or last) process wrote: start-up, bind errors, cluster and replication events.</summary>
    public string Log
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>A StackExchange.Redis configuration string for this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>True while the process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a new server and waits until it answers PING.</summary>
    public static Task<RedisServer> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync([], null, "redis-server", cancellationToken);

    /// <summary>
    /// Starts a new server with extra command-line options (e.g. <c>--replicaof</c>), or with a config file written by
    /// <paramref name="configFile"/> (given the directory and the port; a Sentinel needs one it can rewrite), and waits
    /// until it answers PING. <paramref name="executable"/> is <c>redis-server</c> or <c>redis-sentinel</c>.
    /// </summary>
    public static Task<RedisServer> StartAsync(IReadOnlyList<string> extraArguments, Func<string, int, string>? configFile,
        string executable, CancellationToken cancellationToken = default) =>
        StartOnFreePortsAsync(extraArguments, configFile, executable, clusterNode: false, cancellationToken);

    /// <summary>
    /// Starts an empty Redis Cluster node (<c>--cluster-enabled yes</c>) whose cluster bus listens on
    /// <see cref="BusPort"/>, a free port of its own (the default, port + 10000, may be beyond 65535 or in use).
    /// </summary>
    public static Task<RedisServer> StartClusterNodeAsync(IReadOnlyList<string> extraArguments, CancellationToken cancellationToken = default) =>
        StartOnFreePortsAsync(extraArguments, null, "redis-server", clusterNode: true, cancellationToken);

    private static Task<RedisServer> StartOnFreePortsAsync(IReadOnlyList<string> extraArguments, Func<string, int, string>? configFile,
        string executable, bool clusterNode, CancellationToken cancellationToken) =>
        LoopbackPorts.StartAsync(async () =>
        {
            var directory = Path.Combine(Path.GetTempPath(), "broker-redis-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(directory);
            var port = LoopbackPorts.Next();
            var arguments = new List<string>();
            if (configFile is not null)
            {
                var path = Path.Combine(directory, "redis.conf");
                await File.WriteAllTextAsync(path, configFile(directory, port), cancellationToken).ConfigureAwait(false);
                arguments.Add(path);
            }
            arguments.AddRange(extraArguments);
            var server = new RedisServer(port, clusterNode ? LoopbackPorts.Next() : null, directory, executable, arguments);
            try
            {
                await server.RestartAsync(cancellationToken).ConfigureAwait(false);
                return server;
            }
            catch
            {
                await server.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }, executable);

    /// <summary>
    /// Starts the server again on the same port (after <see cref="StopAsync"/>) and waits until it answers PING; a no-op
    /// when it runs. Throws <see cref="PortTakenException"/> when the port is held by another process — redis-server
    /// exits at once then, but until it does, the other holder may be the one answering.
    /// </summary>
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
                     "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--dir", _directory, "--save", "", "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no",
                 })
            start.ArgumentList.Add(arg);
        if (BusPort is { } busPort)
            foreach (var arg in new[] { "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-port", busPort.ToString(CultureInfo.InvariantCulture) })
                start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{_executable} did not start");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        _output = output;

        try
        {
            await Wait.UntilAsync(async () =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (process.HasExited)
                {
                    // Read the log only once its last line is in (WaitForExit drains the redirected output).
                    await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                    var log = Log;
                    if (log.Contains("Address already in use", StringComparison.Ordinal)) throw new PortTakenException(Port, log);
                    throw new InvalidOperationException($"{_executable} on port {Port} exited with code {process.ExitCode}: {log}");
                }
                if (await CommandAsync("PING", cancellationToken).ConfigureAwait(false) != "+PONG") return false;
                // A PONG proves only that some server holds the port: it must be this process.
                return await ProcessIdAsync(cancellationToken).ConfigureAwait(false) switch
                {
                    null => false,
                    var id when id == process.Id => true,
                    var id => throw new PortTakenException(Port, $"Redis process {id} answers on it instead of {_executable} process {process.Id}"),
                };
            }, $"{_executable} on port {Port} to answer PING").ConfigureAwait(false);
        }
        catch
        {
            await StopAsync().ConfigureAwait(false);
            throw;
        }
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
    public Task<string?> CommandAsync(string command, CancellationToken cancellationToken = default) =>
        ExchangeAsync(command, (reader, timeout) => reader.ReadLineAsync(timeout).AsTask(), cancellationToken);

    /// <summary>The process id in the <c>INFO server</c> reply of whatever answers on the port, or null when unreachable.</summary>
    private async Task<int?> ProcessIdAsync(CancellationToken cancellationToken)
    {
        var info = await ExchangeAsync("INFO server", async (reader, timeout) =>
        {
            // A bulk string ("$length", then the text); the id is one of its lines.
            if (await reader.ReadLineAsync(timeout).ConfigureAwait(false) is not ['$', ..]) return null;
            while (await reader.ReadLineAsync(timeout).ConfigureAwait(false) is { Length: > 0 } line)
                if (line.StartsWith("process_id:", StringComparison.Ordinal)) return line["process_id:".Length..];
            return null;
        }, cancellationToken).ConfigureAwait(false);
        return int.TryParse(info, CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    private async Task<string?> ExchangeAsync(string command, Func<StreamReader, CancellationToken, Task<string?>> readReply,
        CancellationToken cancellationToken)
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
            return await readReply(reader, timeout.Token).ConfigureAwait(false);
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
            return await RedisCli.RunAsync(["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), .. arguments])
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            return "";
        }
    }
}
