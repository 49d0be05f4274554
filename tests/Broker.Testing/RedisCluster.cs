namespace Broker.Testing;

/// <summary>
/// A real Redis Cluster on loopback: three masters with one replica each, on free ports (client and cluster-bus ports
/// both from <see cref="LoopbackPorts"/>; each node is checked to be the process answering on its port, since a node
/// that lost its port to another one makes a five-node "cluster" that never forms), created with
/// <c>redis-cli --cluster create … --cluster-replicas 1</c> and ready once every node reports <c>cluster_state:ok</c>
/// with all 16384 slots served and every replica's link to its master up.
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
        var starts = Enumerable.Range(0, NodeCount).Select(_ => RedisServer.StartClusterNodeAsync(["--cluster-node-timeout", "5000"])).ToList();
        try
        {
            await Task.WhenAll(starts).ConfigureAwait(false);
        }
        catch
        {
            foreach (var started in starts.Where(s => s.IsCompletedSuccessfully)) await started.Result.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var cluster = new RedisCluster(starts.Select(s => s.Result).ToList());
        try
        {
            await cluster.CreateAsync().ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Joins the started nodes into one cluster and waits until it serves; each failure says which step failed.</summary>
    private async Task CreateAsync()
    {
        string created;
        try
        {
            created = await RedisCli.RunAsync(["--cluster", "create", .. Nodes.Select(n => n.Configuration), "--cluster-replicas", "1", "--cluster-yes"])
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            throw new InvalidOperationException($"Redis Cluster: creating it failed: {ex.Message}{NodeLogs()}", ex);
        }
        if (!created.Contains("[OK] All 16384 slots covered", StringComparison.Ordinal))
            throw new InvalidOperationException($"Redis Cluster: redis-cli --cluster create did not report all slots covered: {created}{NodeLogs()}");
        try
        {
            await Wait.UntilAsync(IsReadyAsync, TimeSpan.FromSeconds(90), "the Redis Cluster to report cluster_state:ok on every node").ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; at the last check {_notReady}{NodeLogs()}", ex);
        }
    }

    /// <summary>Why the last readiness check failed (for the time-out message).</summary>
    private string _notReady = "nothing was checked";

    private async Task<bool> IsReadyAsync()
    {
        if (Nodes.FirstOrDefault(n => !n.IsRunning) is { } dead)
            throw new InvalidOperationException($"Redis Cluster: the node on port {dead.Port} exited while the cluster formed{NodeLogs()}");
        var replicas = 0;
        foreach (var node in Nodes)
        {
            var info = await node.CliAsync("CLUSTER", "INFO").ConfigureAwait(false);
            if (!info.Contains("cluster_state:ok", StringComparison.Ordinal) || !info.Contains("cluster_slots_ok:16384", StringComparison.Ordinal)
                || !info.Contains($"cluster_known_nodes:{NodeCount}", StringComparison.Ordinal))
                return NotReady($"node {node.Port}'s CLUSTER INFO was: {info}");
            var replication = await node.CliAsync("INFO", "replication").ConfigureAwait(false);
            if (replication.Contains("role:slave", StringComparison.Ordinal))
            {
                if (!replication.Contains("master_link_status:up", StringComparison.Ordinal))
                    return NotReady($"replica {node.Port}'s link to its master was not up: {replication}");
                replicas++;
            }
        }
        return replicas == NodeCount - Masters || NotReady($"{replicas} of the nodes were replicas, not {NodeCount - Masters}");
    }

    private bool NotReady(string reason)
    {
        _notReady = reason;
        return false;
    }

    /// <summary>The last lines each node logged (cluster state changes, replication, bind errors).</summary>
    private string NodeLogs() => string.Concat(Nodes.Select(n =>
        $"\n--- node {n.Configuration} (bus port {n.BusPort}, {(n.IsRunning ? "running" : "exited")}) ---\n"
        + string.Join('\n', n.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(25))));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync().ConfigureAwait(false);
        foreach (var node in Nodes) await node.DisposeAsync().ConfigureAwait(false);
    }
}
