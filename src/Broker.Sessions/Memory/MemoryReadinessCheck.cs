using Broker.Core.Services;

namespace Broker.Sessions.Memory;

/// <summary>The in-memory stores are always there.</summary>
internal sealed class MemoryReadinessCheck : IReadinessCheck
{
    public Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new ReadinessResult("sessions", ReadinessStatus.Healthy, "sessions and result cache in memory (Redis not configured)"));
}
