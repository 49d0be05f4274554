namespace Broker.Registry.Database;

/// <summary>Doubling retry delay with a cap, shared by the background loops.</summary>
internal static class Backoff
{
    public static TimeSpan Next(TimeSpan current, TimeSpan max) =>
        TimeSpan.FromTicks(Math.Min(max.Ticks, Math.Max(current.Ticks * 2, TimeSpan.FromMilliseconds(50).Ticks)));
}
