using System.Globalization;

namespace Broker.Testing;

/// <summary>
/// A real Sentinel deployment on loopback: a master and one replica (redis-server) watched by three Sentinels
/// (redis-sentinel, quorum 2, a master is down after 1 s without answers). Ready once every Sentinel names the master,
/// knows the replica and the two other Sentinels. The broker connects through the Sentinels (<c>serviceName=</c>).
/// </summary>
public sealed class RedisSentinels : RedisTopology
{
    public const string ServiceName = "broker";

    private readonly List<RedisServer> _servers;

    private RedisSentinels(List<RedisServer> servers, IReadOnlyList<RedisServer> sentinels)
    {
        _servers = servers;
        Sentinels = sentinels;
    }

    /// <summary>The data servers (master and replica, whichever is which right now).</summary>
    public IReadOnlyList<RedisServer> Servers => _servers;
    public IReadOnlyList<RedisServer> Sentinels { get; }
    public override string Name => "sentinel";
    public override string Configuration => string.Join(',', Sentinels.Select(s => s.Configuration)) + ",serviceName=" + ServiceName;

    public static async Task<RedisSentinels> StartAsync()
    {
        var servers = new List<RedisServer> { await RedisServer.StartAsync().ConfigureAwait(false) };
        var masterPort = servers[0].Port.ToString(CultureInfo.InvariantCulture);
        var sentinels = new List<RedisServer>();
        try
        {
            servers.Add(await RedisServer.StartAsync(["--replicaof", "127.0.0.1", masterPort], null, "redis-server").ConfigureAwait(false));
            foreach (var _ in Enumerable.Range(0, 3))
                sentinels.Add(await RedisServer.StartAsync([], (_, _) => $"""
                    sentinel monitor {ServiceName} 127.0.0.1 {masterPort} 2
                    sentinel down-after-milliseconds {ServiceName} 1000
                    sentinel failover-timeout {ServiceName} 10000
                    sentinel parallel-syncs {ServiceName} 1

                    """, "redis-sentinel").ConfigureAwait(false));
            var group = new RedisSentinels(servers, sentinels);
            await Wait.UntilAsync(() => group.IsSettledAsync(servers[0].Port), TimeSpan.FromSeconds(90),
                "three Sentinels to agree on the master, its replica and each other").ConfigureAwait(false);
            return group;
        }
        catch
        {
            foreach (var server in servers.Concat(sentinels)) await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The master's port as the Sentinels name it (null while they disagree or know none).</summary>
    public async Task<int?> MasterPortAsync()
    {
        var answers = await Task.WhenAll(Sentinels.Select(s => s.CliAsync("SENTINEL", "get-master-addr-by-name", ServiceName))).ConfigureAwait(false);
        var ports = answers.Select(a => a.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(l => l.Length == 2 ? l[1] : "").Distinct().ToList();
        return ports.Count == 1 && int.TryParse(ports[0], CultureInfo.InvariantCulture, out var port) ? port : null;
    }

    /// <summary>The data server that is master now.</summary>
    public async Task<RedisServer> MasterAsync()
    {
        var port = await MasterPortAsync().ConfigureAwait(false) ?? throw new InvalidOperationException("the Sentinels name no master");
        return _servers.Single(s => s.Port == port);
    }

    /// <summary>
    /// True when all Sentinels name the master on <paramref name="masterPort"/>, see it up, know a replica whose link to
    /// it is up, and know the two other Sentinels.
    /// </summary>
    public async Task<bool> IsSettledAsync(int masterPort)
    {
        if (await MasterPortAsync().ConfigureAwait(false) != masterPort) return false;
        foreach (var sentinel in Sentinels)
        {
            var master = await sentinel.CliAsync("SENTINEL", "master", ServiceName).ConfigureAwait(false);
            if (!Field(master, "flags").Equals("master", StringComparison.Ordinal)) return false;
            if (Field(master, "num-other-sentinels") != "2" || Field(master, "num-slaves") == "0") return false;
            var replicas = await sentinel.CliAsync("SENTINEL", "replicas", ServiceName).ConfigureAwait(false);
            if (Field(replicas, "flags") != "slave" || Field(replicas, "master-link-status") != "ok") return false;
        }
        return true;
    }

    /// <summary>The value after <paramref name="name"/> in redis-cli's one-item-per-line output of a SENTINEL reply.</summary>
    private static string Field(string reply, string name)
    {
        var lines = reply.Split('\n', StringSplitOptions.TrimEntries);
        var index = Array.IndexOf(lines, name);
        return index >= 0 && index + 1 < lines.Length ? lines[index + 1] : "";
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync().ConfigureAwait(false);
        foreach (var server in Sentinels.Concat(_servers)) await server.DisposeAsync().ConfigureAwait(false);
    }
}
