using System.Net;
using Broker.Core.Providers;
using Broker.Core.Telemetry;
using Broker.Server.Hosting;

namespace Broker.Server.Tests.Hosting;

/// <summary>The per-provider concurrency limit on HTTP requests (Polly.RateLimiting), with its bounded queue.</summary>
public class ProviderRequestLimiterTests
{
    [Fact]
    public async Task Requests_BeyondPermitsWait_BeyondQueueAreRefusedAtOnce()
    {
        var provider = new HeldProvider();
        using var http = new HttpClient(new ProviderRequestLimiter("p", permits: 2, queue: 1, new BrokerMetrics(), provider));

        var first = http.GetAsync("http://p/1", HttpCompletionOption.ResponseHeadersRead);
        var second = http.GetAsync("http://p/2", HttpCompletionOption.ResponseHeadersRead);
        await provider.WaitForAsync(2);
        var queued = http.GetAsync("http://p/3", HttpCompletionOption.ResponseHeadersRead);
        var refused = await Assert.ThrowsAsync<ProviderBusyException>(() => http.GetAsync("http://p/4"));

        Assert.Contains("not asked: p already has 2 requests running and 1 waiting", refused.Message);
        Assert.Equal(2, provider.Received);
        Assert.False(queued.IsCompleted);
        provider.AnswerAll();
        (await first).Dispose();
        await provider.WaitForAsync(3); // the freed permit goes to the queued request
        provider.AnswerAll();
        (await second).Dispose();
        (await queued).Dispose();
    }

    [Fact]
    public async Task Permit_IsHeldUntilTheResponseBodyIsDisposed()
    {
        var provider = new HeldProvider();
        using var http = new HttpClient(new ProviderRequestLimiter("p", permits: 1, queue: 1, new BrokerMetrics(), provider));
        provider.AnswerAll();
        var response = await http.GetAsync("http://p/1", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("body of /1", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);

        // Headers and body read, but not disposed: the request still holds the permit, the next one waits,
        // and one more finds the queue full.
        var waiting = http.GetAsync("http://p/2");
        await Assert.ThrowsAsync<ProviderBusyException>(() => http.GetAsync("http://p/3"));
        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, provider.Received);
        response.Dispose();

        using var next = await waiting;
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(2, provider.Received);
    }

    [Fact]
    public async Task QueuedRequest_CancelledByItsCaller_LeavesTheQueue()
    {
        var provider = new HeldProvider();
        using var http = new HttpClient(new ProviderRequestLimiter("p", permits: 1, queue: 1, new BrokerMetrics(), provider));
        var first = http.GetAsync("http://p/1", HttpCompletionOption.ResponseHeadersRead);
        await provider.WaitForAsync(1);
        using var cts = new CancellationTokenSource();
        var queued = http.GetAsync("http://p/2", cts.Token);
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        // The queue slot is free again: another request may wait.
        var waiting = http.GetAsync("http://p/3", HttpCompletionOption.ResponseHeadersRead);
        provider.AnswerAll();
        (await first).Dispose();
        await provider.WaitForAsync(2);
        provider.AnswerAll();
        (await waiting).Dispose();
    }

    /// <summary>A provider that holds every request until told to answer; from then on it answers at once.</summary>
    private sealed class HeldProvider : HttpMessageHandler
    {
        private readonly SemaphoreSlim _arrived = new(0);
        private readonly TaskCompletionSource _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _received;

        public int Received => Volatile.Read(ref _received);

        public void AnswerAll() => _answer.TrySetResult();

        public async Task WaitForAsync(int count)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (Received < count) await _arrived.WaitAsync(timeout.Token);
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _received);
            var answer = _answer.Task;
            _arrived.Release();
            await answer.WaitAsync(cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($"body of {request.RequestUri!.AbsolutePath}", System.Text.Encoding.UTF8, "text/plain") };
        }
    }
}
