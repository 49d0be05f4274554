using System.Globalization;
using Broker.Testing;

namespace Broker.Server.Tests.Sessions;

/// <summary>
/// Makes a real redis-server answer every write with an error reply until <see cref="RepairAsync"/>:
/// <c>OOM</c> (<c>maxmemory 1mb</c>, <c>noeviction</c>, filled past it), <c>READONLY</c> (<c>REPLICAOF</c> another
/// server) or <c>LOADING</c> (<c>DEBUG RELOAD</c> slowed down per key; needs <c>--enable-debug-command yes</c>).
/// Each fault is confirmed by the server's own answer to a write before the test goes on.
/// </summary>
internal sealed class RedisFault : IAsyncDisposable
{
    private readonly RedisServer _server;
    private readonly string _reply;
    private RedisServer? _master;
    private Task? _reload;
    private bool _repaired;

    private RedisFault(RedisServer server, string reply)
    {
        _server = server;
        _reply = reply;
    }

    public static async Task<RedisFault> StartAsync(RedisServer server, string reply)
    {
        var fault = new RedisFault(server, reply);
        switch (reply)
        {
            case "OOM":
                await fault.ExpectOkAsync("CONFIG SET maxmemory-policy noeviction");
                await fault.ExpectOkAsync("CONFIG SET maxmemory 1mb");
                // A fresh server may use less than 1 MB: fill it until it refuses.
                var filler = new string('x', 32 * 1024);
                for (var i = 0; i < 1000 && !(await server.CommandAsync($"SET broker-test:fill:{i} {filler}"))!.StartsWith("-OOM", StringComparison.Ordinal); i++) { }
                break;
            case "READONLY":
                fault._master = await RedisServer.StartAsync();
                await fault.ExpectOkAsync($"REPLICAOF 127.0.0.1 {fault._master.Port.ToString(CultureInfo.InvariantCulture)}");
                break;
            case "LOADING":
                // 5 000 keys of 1 KiB, uncompressed, each loaded 50 ms late (about 4 minutes in all) with other clients
                // served after every KiB: the server answers LOADING until RepairAsync lifts the delay.
                await fault.ExpectOkAsync("CONFIG SET rdbcompression no");
                await fault.ExpectOkAsync("DEBUG POPULATE 5000 broker-test:loading 1024");
                await fault.ExpectOkAsync("CONFIG SET loading-process-events-interval-bytes 1024");
                await fault.ExpectOkAsync("CONFIG SET key-load-delay 50000");
                fault._reload = server.CliAsync("DEBUG", "RELOAD");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(reply), reply, "OOM, READONLY or LOADING");
        }
        await Wait.UntilAsync(async () => (await server.CommandAsync("SET broker-test:probe 1"))?.StartsWith("-" + reply, StringComparison.Ordinal) == true,
            TimeSpan.FromSeconds(60), $"redis-server to answer writes with {reply}");
        return fault;
    }

    /// <summary>Lifts the fault and waits until the server takes writes again.</summary>
    public async Task RepairAsync()
    {
        if (_repaired) return;
        _repaired = true;
        switch (_reply)
        {
            case "OOM":
                await ExpectOkAsync("CONFIG SET maxmemory 0");
                break;
            case "READONLY":
                await ExpectOkAsync("REPLICAOF NO ONE");
                break;
            case "LOADING":
                await ExpectOkAsync("CONFIG SET key-load-delay 0");
                await _reload!;
                break;
        }
        await Wait.UntilAsync(async () => await _server.CommandAsync("SET broker-test:probe 1") == "+OK",
            TimeSpan.FromSeconds(60), "redis-server to take writes again");
    }

    private async Task ExpectOkAsync(string command) => Assert.Equal("+OK", await _server.CommandAsync(command));

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RepairAsync();
        }
        finally
        {
            if (_master is not null) await _master.DisposeAsync();
        }
    }
}
