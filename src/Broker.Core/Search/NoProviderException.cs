namespace Broker.Core.Search;

/// <summary>No provider can answer a block; the message says why for each provider, so the caller can fix the query.</summary>
public sealed class NoProviderException(int blockIndex, IReadOnlyDictionary<string, string> reasons)
    : Exception($"No provider can answer block {blockIndex}: " +
                string.Join("; ", reasons.Select(r => $"{r.Key}: {r.Value}")))
{
    public int BlockIndex { get; } = blockIndex;
    public IReadOnlyDictionary<string, string> Reasons { get; } = reasons;
}
