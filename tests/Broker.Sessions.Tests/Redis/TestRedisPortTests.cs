using System.Diagnostics;
using System.Globalization;
using Broker.Testing;

namespace Broker.Sessions.Tests.Redis;

/// <summary>
/// The test Redis servers' ports (Broker.Testing): a port is probed free and released before redis-server binds it, so
/// a server must never take another server that holds its port for itself (a Redis Cluster fixture with two nodes on
/// one port was created "successfully" and then never formed).
/// </summary>
public sealed class TestRedisPortTests
{
    [Fact]
    public void FreePorts_AreNeverHandedOutTwice()
    {
        // Binding port 0 again and again gives a port twice well before 500 probes (1 in 100 sets of 12 had a duplicate).
        var ports = Enumerable.Range(0, 500).Select(_ => LoopbackPorts.Next()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
    }

    [Fact]
    public async Task Restart_WhileAnotherRedisHoldsThePort_FailsAsPortTaken_InsteadOfAnsweringWithTheOther()
    {
        await using var server = await RedisServer.StartAsync();
        await server.StopAsync();
        using var other = Process.Start(new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", server.Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" },
            RedirectStandardOutput = true, UseShellExecute = false,
        })!;
        try
        {
            other.BeginOutputReadLine();
            await Wait.UntilAsync(async () => await server.CommandAsync("PING") == "+PONG", "the other redis-server to answer on the port");

            var taken = await Assert.ThrowsAsync<PortTakenException>(() => server.RestartAsync());

            Assert.Equal(server.Port, taken.Port);
            Assert.False(server.IsRunning);
        }
        finally
        {
            other.Kill();
            await other.WaitForExitAsync();
        }
    }
}
