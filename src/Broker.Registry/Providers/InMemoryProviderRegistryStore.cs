using Broker.Core.Configuration;

namespace Broker.Registry.Providers;

/// <summary>The registry in memory (the demo's default): same sync semantics, lost on restart.</summary>
public sealed class InMemoryProviderRegistryStore(TimeProvider time) : IProviderRegistryStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (ProviderDocument Document, RegistryEntry Entry)> _providers = new(StringComparer.Ordinal);
    private readonly List<RegistryChange> _history = [];

    public Task<RegistrySyncResult> SyncAsync(IReadOnlyList<ProviderConfig> providers, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var changes = new List<RegistryChange>();
        lock (_gate)
        {
            var missing = _providers.Keys.ToHashSet(StringComparer.Ordinal);
            foreach (var config in providers)
            {
                missing.Remove(config.Id);
                var next = ProviderDocument.From(config);
                if (!_providers.TryGetValue(config.Id, out var current))
                {
                    Put(next, now, now, null);
                    changes.Add(new RegistryChange(config.Id, RegistryChangeKind.Added, null, ProviderDocument.Element(next.ToJson()), now));
                    continue;
                }
                if (current.Entry.RemovedAt is null && current.Document.SameAs(next)) continue;
                Put(next, current.Entry.AddedAt, now, null);
                var kind = current.Entry.RemovedAt is null ? RegistryChangeKind.Changed : RegistryChangeKind.Added;
                changes.Add(new RegistryChange(config.Id, kind, ProviderDocument.Element(current.Document.ToJson()), ProviderDocument.Element(next.ToJson()), now));
            }
            foreach (var id in missing.Order(StringComparer.Ordinal))
            {
                var current = _providers[id];
                if (current.Entry.RemovedAt is not null) continue;
                Put(current.Document with { Enabled = false }, current.Entry.AddedAt, now, now);
                changes.Add(new RegistryChange(id, RegistryChangeKind.Removed, ProviderDocument.Element(current.Document.ToJson()), null, now));
            }
            _history.AddRange(changes);
        }
        return Task.FromResult(new RegistrySyncResult(changes));
    }

    public Task<IReadOnlyList<RegistryEntry>> ListAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<RegistryEntry> list = _providers.Values
                .Select(p => p.Entry with { HistoryCount = _history.Count(h => h.ProviderId == p.Entry.Id) })
                .OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
            return Task.FromResult(list);
        }
    }

    public Task<IReadOnlyList<RegistryChange>> HistoryAsync(string providerId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<RegistryChange> list = _history.Where(h => h.ProviderId == providerId).ToList();
            return Task.FromResult(list);
        }
    }

    private void Put(ProviderDocument d, DateTimeOffset addedAt, DateTimeOffset updatedAt, DateTimeOffset? removedAt) =>
        _providers[d.Id] = (d, new RegistryEntry
        {
            Id = d.Id, Type = d.Type, Url = d.Url, Enabled = d.Enabled, Title = d.Title,
            AddedAt = addedAt, UpdatedAt = updatedAt, RemovedAt = removedAt,
        });
}
