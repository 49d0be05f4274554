namespace Broker.Core.Model;

/// <summary>A query as OR of AND-blocks (disjunctive normal form), like VSO's list of QueryRequestBlocks.</summary>
public sealed record NormalizedQuery(IReadOnlyList<QueryBlock> Blocks)
{
    /// <summary>A query of one block.</summary>
    public static NormalizedQuery Single(QueryBlock block) => new([block]);
}
