namespace Broker.Registry.Tests.Support;

/// <summary>Waits for a condition the background services make true; fails after a generous functional bound.</summary>
public static class Eventually
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    public static async Task TrueAsync(Func<bool> condition, string? what = null)
    {
        await TrueAsync(() => Task.FromResult(condition()), what);
    }

    public static Task TrueAsync(Func<Task<bool>> condition, string? what = null) =>
        Broker.Testing.Wait.UntilAsync(condition, Bound, what ?? "condition");
}
