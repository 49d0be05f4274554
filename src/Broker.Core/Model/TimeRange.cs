namespace Broker.Core.Model;

/// <summary>A UTC query interval [start, end) (an instant when start = end); matching follows <see cref="TimeRule"/>.</summary>
public sealed record TimeRange(DateTimeOffset Start, DateTimeOffset End, DateTimeOffset? Near = null)
{
    /// <summary>Length of the interval.</summary>
    public TimeSpan Duration => End - Start;

    /// <summary>True when a record [start, end) matches this range under <see cref="TimeRule"/> (no end: an instant).</summary>
    public bool Overlaps(DateTimeOffset start, DateTimeOffset? end) => TimeRule.Matches(this, start, end);
}
