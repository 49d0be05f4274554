using Broker.Core.Validation;

namespace Broker.TapService.Query;

/// <summary>
/// What a query on a record table asks of the providers: the OR of blocks the normalized query can express. Every
/// block is a superset of the rows the full WHERE clause keeps (conditions the providers cannot apply are simply not
/// passed on), so evaluating the whole query on the merged rows afterwards gives the exact answer.
/// </summary>
/// <param name="Blocks">One block per OR branch that can match something; empty when no row can match.</param>
/// <param name="OnlyProviders">Provider ids every branch is restricted to, or null for all providers.</param>
/// <param name="UnboundedBlocks">How many branches lack a lower or upper time bound (they would need whole archives).</param>
public sealed record FanOutPlan(IReadOnlyList<PlannedBlock> Blocks, IReadOnlySet<string>? OnlyProviders, int UnboundedBlocks)
{
    /// <summary>No row can match (every branch contradicts what the broker guarantees about its columns).</summary>
    public bool MatchesNothing => Blocks.Count == 0;
}

/// <summary>One OR branch: the attributes passed on, and its time bounds (either may be missing).</summary>
public sealed record PlannedBlock(QueryBlockInput Input, DateTimeOffset? Start, DateTimeOffset? End)
{
    public bool IsBounded => Start is not null && End is not null;
}
