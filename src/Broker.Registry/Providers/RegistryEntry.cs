using System.Text.Json;

namespace Broker.Registry.Providers;

/// <summary>A provider as the registry holds it, for /api/v1/providers (next to the live state).</summary>
public sealed record RegistryEntry
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    public required string Url { get; init; }
    public bool Enabled { get; init; }
    public string? Title { get; init; }
    /// <summary>When the provider first appeared in providers.yaml.</summary>
    public DateTimeOffset AddedAt { get; init; }
    /// <summary>When its settings last changed (equal to <see cref="AddedAt"/> until then).</summary>
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>When it left providers.yaml; null while it is in the file.</summary>
    public DateTimeOffset? RemovedAt { get; init; }
    /// <summary>Number of recorded changes (added, changed, removed).</summary>
    public int HistoryCount { get; init; }
}

/// <summary>The kind of a registry change.</summary>
public enum RegistryChangeKind { Added, Changed, Removed }

/// <summary>One change of a provider's settings: the whole settings document before and after.</summary>
public sealed record RegistryChange(
    string ProviderId, RegistryChangeKind Kind, JsonElement? OldValue, JsonElement? NewValue, DateTimeOffset ChangedAt);

/// <summary>What a sync did: the changes it recorded, in provider order (empty when the registry was current).</summary>
public sealed record RegistrySyncResult(IReadOnlyList<RegistryChange> Changes)
{
    public int Added => Changes.Count(c => c.Kind == RegistryChangeKind.Added);
    public int Changed => Changes.Count(c => c.Kind == RegistryChangeKind.Changed);
    public int Removed => Changes.Count(c => c.Kind == RegistryChangeKind.Removed);
}
