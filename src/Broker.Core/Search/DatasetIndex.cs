using System.Runtime.InteropServices;

namespace Broker.Core.Search;

/// <summary>
/// Dataset identity → the first record of that dataset in a merge: its index in the merged list (-1 when beyond the
/// limit) and its provider. Spread over several dictionaries of at most <see cref="ShardSize"/> entries: one
/// dictionary for the identities of an 8,000-record search (32 bytes an entry) lands on the large-object heap, and
/// one such array per search brought full garbage collections under load (scripts/bench.sh fanout).
/// </summary>
internal sealed class DatasetIndex(int capacity)
{
    private const int ShardSize = 2_000;

    private readonly Dictionary<string, (int Index, string Provider)>[] _shards = CreateShards(capacity);

    /// <summary>
    /// Makes (<paramref name="index"/>, <paramref name="provider"/>) the first record of <paramref name="identity"/>
    /// unless it has one: then false with that one in <paramref name="first"/>. One lookup (a record's identity is
    /// hashed once per dictionary, not once to find and once to add).
    /// </summary>
    public bool TryClaim(string identity, int index, string provider, out (int Index, string Provider) first)
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(Shard(identity), identity, out var exists);
        if (exists)
        {
            first = slot;
            return false;
        }
        slot = first = (index, provider);
        return true;
    }

    private Dictionary<string, (int Index, string Provider)> Shard(string identity) =>
        _shards.Length == 1 ? _shards[0] : _shards[(int)((uint)StringComparer.Ordinal.GetHashCode(identity) % (uint)_shards.Length)];

    private static Dictionary<string, (int Index, string Provider)>[] CreateShards(int capacity)
    {
        var shards = new Dictionary<string, (int Index, string Provider)>[Math.Max(1, (capacity + ShardSize - 1) / ShardSize)];
        var each = Math.Min(capacity, ShardSize);
        for (var i = 0; i < shards.Length; i++) shards[i] = new Dictionary<string, (int Index, string Provider)>(each, StringComparer.Ordinal);
        return shards;
    }
}
