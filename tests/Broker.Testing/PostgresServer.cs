using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Broker.Testing;

/// <summary>
/// A real, throwaway PostgreSQL 15 server for tests: its own data directory under /tmp, its own free port on
/// 127.0.0.1, superuser <c>broker</c> with trust authentication. It can be stopped and started again on the same
/// port (outage tests); disposing stops it and deletes the data directory.
/// </summary>
/// <remarks>
/// initdb refuses to run as root, so every PostgreSQL binary runs as the <c>postgres</c> user through
/// <c>runuser</c> when the tests run as root; the data directory is handed to that user first.
/// </remarks>
public sealed partial class PostgresServer : IDisposable
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private const string SuperUser = "broker";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly string _root;
    private readonly string _dataDirectory;
    private bool _disposed;

    private PostgresServer(string root)
    {
        _root = root;
        _dataDirectory = Path.Combine(root, "data");
    }

    /// <summary>The TCP port on 127.0.0.1 (kept across <see cref="Stop"/>/<see cref="Start"/>).</summary>
    public int Port { get; private set; }

    /// <summary>True between a successful <see cref="Start"/> and <see cref="Stop"/>.</summary>
    public bool IsRunning { get; private set; }

    /// <summary>A connection string to the <c>postgres</c> database.</summary>
    public string ConnectionString => ConnectionStringFor("postgres");

    /// <summary>A connection string to <paramref name="database"/> on this server (pooling on, short timeouts).</summary>
    public string ConnectionStringFor(string database) =>
        $"Host=127.0.0.1;Port={Port};Username={SuperUser};Database={database};Timeout=5;Command Timeout=30";

    /// <summary>
    /// Creates a data directory, initializes it and starts the server on a free port (<see cref="LoopbackPorts"/>: on
    /// another when a process beside this one took the port first).
    /// </summary>
    public static PostgresServer StartNew()
    {
        var root = Path.Combine(Path.GetTempPath(), "broker-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var server = new PostgresServer(root);
        try
        {
            server.GiveToPostgresUser(root);
            server.Run("initdb", $"-D {root}/data -A trust -U {SuperUser} -E UTF8 --no-locale");
            return LoopbackPorts.Start(() =>
            {
                server.Port = LoopbackPorts.Next();
                server.Start();
                return server;
            }, "PostgreSQL");
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts the server (again) on the same port and waits until it accepts connections; throws
    /// <see cref="PortTakenException"/> when another process holds the port.
    /// </summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var options = $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200";
        var logged = ServerLog().Length;
        try
        {
            Run("pg_ctl", $"-D {_dataDirectory} -l {_root}/server.log -o \"{options}\" -w -t 60 start");
        }
        catch (InvalidOperationException ex) when (ServerLog()[logged..].Contains("Address already in use", StringComparison.Ordinal))
        {
            throw new PortTakenException(Port, ex.Message);
        }
        IsRunning = true;
    }

    /// <summary>Stops the server immediately (open connections are cut, as in an outage).</summary>
    public void Stop()
    {
        if (!IsRunning) return;
        Run("pg_ctl", $"-D {_dataDirectory} -m immediate -w -t 60 stop");
        IsRunning = false;
    }

    /// <summary>Creates an empty database (one per test class keeps tests independent) and returns its connection string.</summary>
    public string CreateDatabase(string name)
    {
        if (!SafeName().IsMatch(name))
            throw new ArgumentException($"database name '{name}' must be lower-case letters, digits or '_'", nameof(name));
        Run("createdb", $"-h 127.0.0.1 -p {Port} -U {SuperUser} {name}");
        return ConnectionStringFor(name);
    }

    /// <summary>Every row of <paramref name="database"/> as pg_dump writes it, for scans of everything the broker stored.</summary>
    public string DumpData(string database) => Run("pg_dump", $"-h 127.0.0.1 -p {Port} -U {SuperUser} --data-only {database}");

    /// <summary>Runs SQL through psql (for test set-up only) and returns its output.</summary>
    public string Psql(string database, string sql) =>
        Run("psql", $"-h 127.0.0.1 -p {Port} -U {SuperUser} -d {database} -v ON_ERROR_STOP=1 -At -c \"{sql.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");

    public void Dispose()
    {
        if (_disposed) return;
        try
        {
            Stop();
        }
        catch (InvalidOperationException)
        {
            // Best effort: the directory goes away below and the process dies with its data directory.
        }
        _disposed = true;
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private void GiveToPostgresUser(string path)
    {
        if (!IsRoot) return;
        RunProcess("chown", $"postgres:postgres {path}");
    }

    private string Run(string tool, string arguments)
    {
        var exe = Path.Combine(BinDirectory, tool);
        return IsRoot ? RunProcess("runuser", $"-u postgres -- {exe} {arguments}") : RunProcess(exe, arguments);
    }

    private string RunProcess(string file, string arguments)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _root,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(CommandTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} {arguments} did not finish within {CommandTimeout.TotalSeconds} s");
        }
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {arguments} exited with {process.ExitCode}: {stderr.Result}{stdout.Result}{ServerLogTail()}");
        return stdout.Result.Trim();
    }

    /// <summary>Everything the server logged so far (statements that failed appear as ERROR lines).</summary>
    public string ServerLog()
    {
        var log = Path.Combine(_root, "server.log");
        return File.Exists(log) ? File.ReadAllText(log) : "";
    }

    private string ServerLogTail()
    {
        var log = Path.Combine(_root, "server.log");
        if (!File.Exists(log)) return "";
        var lines = File.ReadAllLines(log);
        return "\nserver.log:\n" + string.Join('\n', lines.TakeLast(20));
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SafeName();
}
