using System.Globalization;

namespace Broker.Testing;

/// <summary>
/// A real Redis Cluster on loopback: three masters with one replica each, on free ports (client and cluster-bus ports
/// both chosen free), created with <c>redis-cli --cluster create … --cluster-replicas 1</c> and ready once every
/// node reports <c>cluster_state:ok</c> with all 16384 slots served and every replica's link to its master up.
/// </summary>
public sealed class RedisCluster : RedisTopology
{
    private const int Masters = 3, NodeCount = 6;

    private RedisCluster(IReadOnlyList<RedisServer> nodes) => Nodes = nodes;

    public IReadOnlyList<RedisServer> Nodes { get; }
    public override string Name => "cluster";
    public override string Configuration => string.Join(',', Nodes.Select(n => n.Configuration));

    public static async Task<RedisCluster> StartAsync()
    {
        var nodes = await Task.WhenAll(Enumerable.Range(0, NodeCount).Select(_ => RedisServer.StartAsync(
            ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000",
             "--cluster-port", RedisServer.FreePort().ToString(CultureInfo.InvariantCulture)], null, "redis-server"))).ConfigureAwait(false);
        var cluster = new RedisCluster(nodes);
        try
        {
            await RedisCli.RunAsync(["--cluster", "create", .. nodes.Select(n => n.Configuration), "--cluster-replicas", "1", "--cluster-yes"])
                .ConfigureAwait(false);
            await Wait.UntilAsync(cluster.IsReadyAsync, TimeSpan.FromSeconds(90), "the Redis Cluster to report cluster_state:ok on every node").ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<bool> IsReadyAsync()
    {
        var replicas = 0;
        foreach (var node in Nodes)
        {
            var info = await node.CliAsync("CLUSTER", "INFO").ConfigureAwait(false);
            if (!info.Contains("cluster_state:ok", StringComparison.Ordinal) || !info.Contains("cluster_slots_ok:16384", StringComparison.Ordinal)
                || !info.Contains($"cluster_known_nodes:{NodeCount}", StringComparison.Ordinal))
                return false;
            var replication = await node.CliAsync("INFO", "replication").ConfigureAwait(false);
            if (replication.Contains("role:slave", StringComparison.Ordinal))
            {
                if (!replication.Contains("master_link_status:up", StringComparison.Ordinal)) return false;
                replicas++;
            }
        }
        return replicas == NodeCount - Masters;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync().ConfigureAwait(false);
        foreach (var node in Nodes) await node.DisposeAsync().ConfigureAwait(false);
    }
}
