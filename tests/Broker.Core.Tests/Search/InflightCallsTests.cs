using Broker.Testing;
using Broker.Core.Providers;
using Broker.Core.Search;

namespace Broker.Core.Tests.Search;

public class InflightCallsTests
{
    /// <summary>
    /// The search deadline cancels the last waiter at the moment its shared call finishes: the call completes (and
    /// before the fix disposed its token source) between the waiter's decision to cancel and the cancellation. The
    /// ObjectDisposedException was thrown inside the deadline's timer callback, where nothing catches it and the process
    /// ends; here the deadline's Cancel() surfaces what the timer would have thrown.
    /// </summary>
    [Fact]
    public async Task LastWaiterCancelledAsTheSharedCallFinishes_CancelDoesNotThrow()
    {
        var answer = new TaskCompletionSource<ProviderAnswer>();
        var calls = new InflightCalls { BeforeCancel = () => answer.TrySetResult(ProviderAnswer.Empty) };
        using var deadline = new CancellationTokenSource();
        var waiting = calls.RunAsync("k", _ => answer.Task, deadline.Token);

        var thrown = Record.Exception(deadline.Cancel);

        Assert.Null(thrown);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        // The next identical call starts afresh instead of joining the finished one.
        Assert.Same(ProviderAnswer.Empty, await calls.RunAsync("k", _ => Task.FromResult(ProviderAnswer.Empty), CancellationToken.None));
    }

    [Fact]
    public async Task SharedCall_IsCancelledOnlyWhenEveryWaiterHasLeft()
    {
        var calls = new InflightCalls();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Func<CancellationToken, Task<ProviderAnswer>> start = async ct =>
        {
            ct.Register(() => cancelled.TrySetResult());
            started.TrySetResult();
            await Wait.UntilCancelledAsync(ct);
            return ProviderAnswer.Empty;
        };
        using var first = new CancellationTokenSource();
        using var second = new CancellationTokenSource();
        var a = calls.RunAsync("same", start, first.Token);
        await started.Task;
        var b = calls.RunAsync("same", start, second.Token);

        first.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => a);
        Assert.False(cancelled.Task.IsCompleted, "one waiter is still there");
        second.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => b);
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
