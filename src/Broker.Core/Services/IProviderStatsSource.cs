namespace Broker.Core.Services;

/// <summary>A provider's recent health, computed from the query log.</summary>
public sealed record ProviderStats(string ProviderId, long Calls, double SuccessRate, double? P50Ms, double? P95Ms, DateTimeOffset WindowStart);

/// <summary>Source of provider statistics (the PostgreSQL query log); absent when no database is configured.</summary>
public interface IProviderStatsSource
{
    Task<IReadOnlyDictionary<string, ProviderStats>> GetStatsAsync(CancellationToken cancellationToken);
}
