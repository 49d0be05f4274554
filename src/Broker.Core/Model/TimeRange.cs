namespace Broker.Core.Model;

/// <summary>A closed UTC time interval; records match when their [start, end] overlaps it.</summary>
public sealed record TimeRange(DateTimeOffset Start, DateTimeOffset End, DateTimeOffset? Near = null)
{
    /// <summary>Length of the interval.</summary>
    public TimeSpan Duration => End - Start;

    /// <summary>True when [start, end] touches this range (a record with no end is treated as an instant).</summary>
    public bool Overlaps(DateTimeOffset start, DateTimeOffset? end) => start <= End && (end ?? start) >= Start;
}
