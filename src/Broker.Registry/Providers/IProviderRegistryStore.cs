using Broker.Core.Configuration;

namespace Broker.Registry.Providers;

/// <summary>
/// The provider registry. providers.yaml is the source of truth: <see cref="SyncAsync"/> makes the registry
/// equal to it and records each difference in the history. PostgreSQL when configured, memory otherwise.
/// </summary>
public interface IProviderRegistryStore
{
    /// <summary>
    /// Inserts new providers, updates changed ones and marks missing ones removed (and disabled), atomically;
    /// returns the changes. Instances syncing at once are serialized. Throws when the database fails.
    /// </summary>
    Task<RegistrySyncResult> SyncAsync(IReadOnlyList<ProviderConfig> providers, CancellationToken cancellationToken);

    /// <summary>
    /// Every provider the registry knows (removed ones included), by id. When the database cannot answer within
    /// <see cref="RegistryOptions.ReadTimeout"/>, the PostgreSQL store returns the last list it read (empty if none).
    /// </summary>
    Task<IReadOnlyList<RegistryEntry>> ListAsync(CancellationToken cancellationToken);

    /// <summary>A provider's changes, oldest first (empty for an unknown id). Throws when the database fails.</summary>
    Task<IReadOnlyList<RegistryChange>> HistoryAsync(string providerId, CancellationToken cancellationToken);
}
