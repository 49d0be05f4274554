using Broker.Core.Configuration;
using Broker.Core.Providers;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Broker.Core.Search;

/// <summary>Builds the one resilience pipeline of a provider from its <see cref="ResilienceSettings"/>.</summary>
public static class ProviderPipeline
{
    /// <summary>
    /// Total timeout → retry (transient failures only: calls are idempotent queries) →
    /// circuit breaker (counts provider faults and attempt timeouts, never caller cancellations or
    /// errors caused by the caller's input, see <see cref="ProviderFaults"/>) → attempt timeout.
    /// </summary>
    public static ResiliencePipeline Build(ResilienceSettings s, CircuitBreakerStateProvider circuit, TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        builder.AddTimeout(new TimeoutStrategyOptions { Timeout = s.EffectiveTotalTimeout });
        if (s.Retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = s.Retries,
                Delay = s.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<ProviderException>(e => e.IsTransient),
            });
        }
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = s.BreakerFailureRatio,
            MinimumThroughput = s.BreakerMinimumThroughput,
            SamplingDuration = s.BreakerSamplingDuration,
            BreakDuration = s.BreakerBreakDuration,
            StateProvider = circuit,
            ShouldHandle = new PredicateBuilder().Handle<Exception>(ProviderFaults.IsProviderFault),
        });
        builder.AddTimeout(new TimeoutStrategyOptions { Timeout = s.Timeout });
        return builder.Build();
    }
}
