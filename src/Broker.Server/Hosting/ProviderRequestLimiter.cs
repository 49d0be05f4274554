using System.Net;
using System.Threading.RateLimiting;
using Broker.Core.Providers;
using Broker.Core.Telemetry;
using Polly;
using Polly.RateLimiting;

namespace Broker.Server.Hosting;

/// <summary>
/// The per-provider concurrency limit, on HTTP requests (a SOAR wavelength search or a UWS job sends several):
/// at most <c>resilience.concurrency</c> requests to one provider are in flight — from sending until the response
/// body is disposed — and at most <c>resilience.concurrencyQueue</c> more wait, oldest first. A request that finds the
/// queue full is refused at once with a <see cref="ProviderBusyException"/> (the provider's status line says why),
/// never queued without bound. Built on Polly.RateLimiting's concurrency limiter.
/// </summary>
internal sealed class ProviderRequestLimiter : DelegatingHandler
{
    private readonly string _providerId;
    private readonly int _permits;
    private readonly int _queue;
    private readonly ResiliencePipeline _pipeline;

    public ProviderRequestLimiter(string providerId, int permits, int queue, BrokerMetrics metrics, HttpMessageHandler inner) : base(inner)
    {
        _providerId = providerId;
        _permits = permits;
        _queue = queue;
        _pipeline = new ResiliencePipelineBuilder()
            .AddRateLimiter(new RateLimiterStrategyOptions
            {
                DefaultRateLimiterOptions = new ConcurrencyLimiterOptions
                {
                    PermitLimit = permits, QueueLimit = queue, QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                },
                OnRejected = _ =>
                {
                    metrics.ProviderRejected(providerId);
                    return default;
                },
            })
            .Build();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The permit is held by the pipeline's callback, which returns only once the caller has disposed the response:
        // the response is handed out through `sent` while the callback keeps waiting on `released`.
        var sent = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = _pipeline.ExecuteAsync(async (state, ct) =>
        {
            var response = await state.Self.SendInnerAsync(state.Request, ct).ConfigureAwait(false);
            // Continuations run inline: disposing the response frees the permit before Dispose returns.
            var released = new TaskCompletionSource();
            response.Content = new ReleasingContent(response.Content, released);
            state.Sent.SetResult(response);
            await released.Task.ConfigureAwait(false);
        }, (Self: this, Request: request, Sent: sent), cancellationToken).AsTask();
        var first = await Task.WhenAny(sent.Task, held).ConfigureAwait(false);
        if (first == sent.Task) return await sent.Task.ConfigureAwait(false);
        try
        {
            await held.ConfigureAwait(false);
        }
        catch (RateLimiterRejectedException ex)
        {
            throw new ProviderBusyException(
                $"not asked: {_providerId} already has {_permits} requests running and {_queue} waiting " +
                "(resilience.concurrency / concurrencyQueue); try again shortly", ex);
        }
        throw new InvalidOperationException("the request ended without a response"); // the callback either sets `sent` or throws
    }

    private Task<HttpResponseMessage> SendInnerAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);

    /// <summary>The provider's response body; disposing it (or its response) frees the permit.</summary>
    private sealed class ReleasingContent : HttpContent
    {
        private readonly HttpContent _inner;
        private readonly TaskCompletionSource _released;

        public ReleasingContent(HttpContent inner, TaskCompletionSource released)
        {
            _inner = inner;
            _released = released;
            foreach (var header in inner.Headers) Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => _inner.CopyToAsync(stream, context);

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
            _inner.CopyToAsync(stream, context, cancellationToken);

        protected override Task<Stream> CreateContentReadStreamAsync() => _inner.ReadAsStreamAsync();

        protected override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) => _inner.ReadAsStreamAsync(cancellationToken);

        protected override bool TryComputeLength(out long length)
        {
            length = _inner.Headers.ContentLength ?? -1;
            return length >= 0;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
                _released.TrySetResult();
            }
            base.Dispose(disposing);
        }
    }
}
