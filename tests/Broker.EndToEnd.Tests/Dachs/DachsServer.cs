using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Broker.Testing;

namespace Broker.EndToEnd.Tests.Dachs;

/// <summary>
/// A real GAVO DaCHS (Debian's gavodachs2-server) for tests — not the system service: its own throwaway PostgreSQL
/// cluster (<see cref="PostgresServer"/>), its own root directory and gavo.rc (through GAVOSETTINGS), its own free
/// loopback port. Start-up runs <c>dachs init</c>, imports the test resource descriptor (brokertest.rd) with
/// generated data (<see cref="DachsData"/>), publishes it and runs <c>dachs serve debug</c> in the foreground, so the
/// process belongs to the test run and can be stopped and started again (outage tests). Disposing stops everything
/// and deletes the directories.
/// </summary>
public sealed class DachsServer : IAsyncDisposable
{
    private const string Dachs = "/usr/bin/dachs";
    private const string ResourceDirectory = "brokertest";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly PostgresServer _postgres;
    private readonly string _root;
    private readonly string _settings;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private Process? _server;

    private DachsServer(PostgresServer postgres, string root, int port)
    {
        _postgres = postgres;
        _root = root;
        _settings = Path.Combine(root, "gavo.rc");
        Port = port;
    }

    /// <summary>The HTTP port on 127.0.0.1 (kept across <see cref="StopAsync"/>/<see cref="StartAsync"/>).</summary>
    public int Port { get; }

    /// <summary>The TAP service's base URL (<c>/tap</c>, as DaCHS publishes it).</summary>
    public Uri TapUrl => new($"http://127.0.0.1:{Port}/tap");

    /// <summary>True while the server process runs.</summary>
    public bool IsRunning => _server is { HasExited: false };

    /// <summary>Everything the server process wrote (for failure messages).</summary>
    public string ServerLog => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "";

    private string LogFile => Path.Combine(_root, "serve.log");

    /// <summary>Sets up a fresh DaCHS with the test data and starts it; throws with DaCHS's output when a step fails.</summary>
    public static async Task<DachsServer> StartNewAsync()
    {
        var postgres = PostgresServer.StartNew();
        var root = Directory.CreateTempSubdirectory("broker-dachs").FullName;
        var server = new DachsServer(postgres, root, LoopbackPorts.Next());
        try
        {
            await server.SetUpAsync();
            await server.StartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task SetUpAsync()
    {
        _postgres.CreateDatabase("gavo");
        var user = Environment.UserName;
        // [web]user: DaCHS started by root switches to this user; the directories belong to whoever runs the tests.
        await File.WriteAllTextAsync(_settings, $"""
            [general]
            rootDir: {_root}/dachs
            logLevel: warning

            [web]
            serverURL: http://127.0.0.1:{Port}
            bindAddress: 127.0.0.1
            serverPort: {Port}
            user: {user}
            sitename: Broker test DaCHS

            [ivoa]
            authority: broker.test

            [async]
            defaultMAXREC: 20000
            """);
        await RunAsync("init", "-d", $"host=127.0.0.1 port={_postgres.Port} dbname=gavo user=broker");
        var inputs = Path.Combine(_root, "dachs", "inputs", ResourceDirectory);
        Directory.CreateDirectory(inputs);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Dachs", "brokertest.rd"), Path.Combine(inputs, "q.rd"));
        DachsData.Write(Path.Combine(inputs, "data"));
        await RunAsync("imp", "//obscore");
        await RunAsync("imp", $"{ResourceDirectory}/q");
        await RunAsync("pub", $"{ResourceDirectory}/q");
    }

    /// <summary>Starts <c>dachs serve debug</c> and waits until the TAP service says it is available.</summary>
    public async Task StartAsync()
    {
        if (IsRunning) return;
        var info = Info("serve", "debug");
        info.RedirectStandardOutput = info.RedirectStandardError = true;
        _server = Process.Start(info) ?? throw new InvalidOperationException("could not start dachs serve");
        var log = new StreamWriter(LogFile, append: true) { AutoFlush = true };
        var server = _server;
        _ = Task.Run(async () =>
        {
            var lines = Task.WhenAll(Pump(server.StandardOutput, log), Pump(server.StandardError, log));
            await lines;
            await log.DisposeAsync();
        });

        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            await Broker.Testing.Wait.UntilAsync(async () => _server.HasExited
                ? throw new InvalidOperationException($"dachs serve exited with {_server.ExitCode}\n{ServerLog}")
                : await IsAvailableAsync(timeout.Token), StartTimeout, "DaCHS to serve");
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"DaCHS was not available within {StartTimeout}\n{ServerLog}");
        }
    }

    /// <summary>Stops the server at once (an outage: no clean shutdown of running jobs).</summary>
    public async Task StopAsync()
    {
        if (_server is not { } server) return;
        _server = null;
        if (!server.HasExited) server.Kill(entireProcessTree: true);
        await server.WaitForExitAsync();
        server.Dispose();
        // The port is free again once nothing listens on it.
        await Broker.Testing.Wait.UntilAsync(() => !Listening(), "the DaCHS port to be free");
    }

    /// <summary>True when /tap/availability answers with available=true.</summary>
    public async Task<bool> IsAvailableAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var text = await _http.GetStringAsync(new Uri(TapUrl, "tap/availability"), cancellationToken);
            return text.Contains("available>true<", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _http.Dispose();
        _postgres.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private async Task RunAsync(params string[] arguments)
    {
        var info = Info(arguments);
        info.RedirectStandardOutput = info.RedirectStandardError = true;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dachs");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"dachs {string.Join(' ', arguments)} did not finish within {CommandTimeout}");
        }
        // DaCHS reports some failures ("*** Error: ...") with exit code 0 in older versions: check both.
        var output = await stdout + await stderr;
        if (process.ExitCode != 0 || output.Contains("*** Error", StringComparison.Ordinal))
            throw new InvalidOperationException($"dachs {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{output}");
    }

    private ProcessStartInfo Info(params string[] arguments)
    {
        var info = new ProcessStartInfo(Dachs) { UseShellExecute = false, WorkingDirectory = _root };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        info.Environment["GAVOSETTINGS"] = _settings;
        info.Environment["GAVOCUSTOM"] = Path.Combine(_root, "no-gavorc");
        info.Environment["HOME"] = _root;
        return info;
    }

    private static async Task Pump(StreamReader reader, StreamWriter log)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (log) log.WriteLine(line);
        }
    }

    private bool Listening()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
