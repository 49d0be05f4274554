namespace Broker.Core.Validation;

/// <summary>Limits a query must respect; configured under <c>Search</c>.</summary>
public sealed record QueryLimits
{
    /// <summary>The widest time range one block may ask for. <value>Default 3660 days (ten years).</value></summary>
    public TimeSpan MaxTimeRange { get; init; } = TimeSpan.FromDays(3660);
    /// <summary>The most OR-blocks in one query. <value>Default 16.</value></summary>
    public int MaxBlocks { get; init; } = 16;
    /// <summary>The longest attribute value accepted. <value>Default 256 characters.</value></summary>
    public int MaxValueLength { get; init; } = 256;
}
