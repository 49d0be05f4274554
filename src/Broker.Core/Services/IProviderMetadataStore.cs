using System.Collections.Concurrent;

namespace Broker.Core.Services;

/// <summary>A column a TAP provider declares in its VOSI /tables.</summary>
public sealed record ColumnMetadata(string Name, string? Datatype = null, string? Unit = null, string? Ucd = null);

/// <summary>A table a TAP provider declares, with its columns.</summary>
public sealed record TableMetadata(string Name, IReadOnlyList<ColumnMetadata> Columns);

/// <summary>What a provider declared, and when it was read.</summary>
public sealed record ProviderMetadata(DateTimeOffset ReadAt, IReadOnlyList<TableMetadata> Tables);

/// <summary>
/// Keeps the tables and columns discovered from providers, so a provider that is down at start-up can still
/// be checked against its last known metadata. PostgreSQL when configured, memory otherwise.
/// </summary>
public interface IProviderMetadataStore
{
    Task SaveAsync(string providerId, ProviderMetadata metadata, CancellationToken cancellationToken);
    Task<ProviderMetadata?> LoadAsync(string providerId, CancellationToken cancellationToken);
}

/// <summary>The in-memory default.</summary>
public sealed class InMemoryProviderMetadataStore : IProviderMetadataStore
{
    private readonly ConcurrentDictionary<string, ProviderMetadata> _items = new(StringComparer.Ordinal);

    public Task SaveAsync(string providerId, ProviderMetadata metadata, CancellationToken cancellationToken)
    {
        _items[providerId] = metadata;
        return Task.CompletedTask;
    }

    public Task<ProviderMetadata?> LoadAsync(string providerId, CancellationToken cancellationToken) =>
        Task.FromResult(_items.GetValueOrDefault(providerId));
}
