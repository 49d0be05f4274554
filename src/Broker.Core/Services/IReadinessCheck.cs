namespace Broker.Core.Services;

public enum ReadinessStatus { Healthy, Degraded, Unhealthy }

/// <summary>One dependency's state for /health/ready (Redis, PostgreSQL, providers ...).</summary>
public sealed record ReadinessResult(string Name, ReadinessStatus Status, string? Message = null);

/// <summary>A dependency the broker can run without (degraded) or not at all (unhealthy). Must answer fast.</summary>
public interface IReadinessCheck
{
    Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken);
}
