using System.Net;
using System.Net.Sockets;

namespace Broker.Testing;

/// <summary>
/// Free TCP ports on 127.0.0.1 for the servers tests start as processes (redis-server, redis-sentinel, PostgreSQL,
/// DaCHS, a broker), which must be told their port before they bind it.
/// </summary>
/// <remarks>
/// A port is found by binding port 0 and releasing it, so it is not reserved until the server binds it. Two faults
/// follow, and both have happened:
/// <list type="bullet">
/// <item>The kernel hands out the same port again: about 1 in 100 sets of 12 back-to-back probes (a Redis Cluster's
/// client and bus ports) held a duplicate. <see cref="Next"/> therefore never returns a port twice in this process.</item>
/// <item>Another process (a test run beside this one) binds the port first. That cannot be prevented here, so every
/// starter detects it — the server exits with "Address already in use", or a server that is not ours answers — and
/// throws <see cref="PortTakenException"/>; <see cref="StartAsync{T}"/> then tries again on new ports.</item>
/// </list>
/// </remarks>
public static class LoopbackPorts
{
    /// <summary>How many sets of new ports a start may try before the failure is reported.</summary>
    public const int Attempts = 5;

    private static readonly HashSet<int> HandedOut = [];

    /// <summary>A port that is free now and that this process has not handed out before.</summary>
    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (HandedOut)
            {
                if (HandedOut.Add(port)) return port;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="start"/> (which takes its ports from <see cref="Next"/>) until it does not report a taken
    /// port, at most <see cref="Attempts"/> times; a start that fails otherwise is not retried.
    /// </summary>
    public static async Task<T> StartAsync<T>(Func<Task<T>> start, string what)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await start().ConfigureAwait(false);
            }
            catch (PortTakenException ex) when (attempt < Attempts)
            {
                Console.Error.WriteLine($"{what}: {ex.Message}; trying again on another port (attempt {attempt + 1} of {Attempts})");
            }
        }
    }

    /// <summary><see cref="StartAsync{T}(Func{Task{T}}, string)"/> for a server that starts synchronously.</summary>
    public static T Start<T>(Func<T> start, string what) => StartAsync(() => Task.FromResult(start()), what).GetAwaiter().GetResult();
}

/// <summary>A server could not bind the port it was given because something else holds it.</summary>
public sealed class PortTakenException(int port, string details) : Exception($"port {port} is taken by another process: {details}")
{
    public int Port { get; } = port;
}
