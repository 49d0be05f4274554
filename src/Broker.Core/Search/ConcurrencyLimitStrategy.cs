using Polly;

namespace Broker.Core.Search;

/// <summary>Options of <see cref="ConcurrencyLimitStrategy"/> (Polly.RateLimiting cannot be restored here).</summary>
public sealed class ConcurrencyLimitOptions : ResilienceStrategyOptions
{
    public int Limit { get; init; } = 8;
}

/// <summary>Lets at most N calls to one provider run at once; the others wait (bounded by the outer timeout).</summary>
internal sealed class ConcurrencyLimitStrategy(int limit) : ResilienceStrategy
{
    private readonly SemaphoreSlim _gate = new(limit, limit);

    public int InUse => limit - _gate.CurrentCount;

    protected override async ValueTask<Outcome<TResult>> ExecuteCore<TResult, TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback, ResilienceContext context, TState state)
    {
        try
        {
            await _gate.WaitAsync(context.CancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex)
        {
            return Outcome.FromException<TResult>(ex);
        }
        try
        {
            return await callback(context, state).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}
