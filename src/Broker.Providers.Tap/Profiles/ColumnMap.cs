namespace Broker.Providers.Tap.Profiles;

/// <summary>A profile's logical column names mapped to the service's names (the profile's defaults, overridable in providers.yaml).</summary>
internal sealed class ColumnMap
{
    private readonly Dictionary<string, string> _map;
    // The profiles name logical columns with the same literal objects the map was built from; found by reference,
    // a row's dozen lookups skip the case-insensitive hash. Filled once here, only read afterwards (shared by searches).
    private readonly Dictionary<string, string> _byReference = new(ReferenceEqualityComparer.Instance);

    public ColumnMap(IEnumerable<string> logicalNames, IReadOnlyDictionary<string, string> overrides)
    {
        _map = logicalNames.ToDictionary(n => n, n => n, StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in overrides)
            if (_map.ContainsKey(k)) _map[k] = v.Trim();
        Unknown = overrides.Keys.Where(k => !logicalNames.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        foreach (var name in logicalNames) _byReference.TryAdd(name, _map[name]);
    }

    /// <summary>Override keys that name no logical column of the profile (configuration errors).</summary>
    public IReadOnlyList<string> Unknown { get; }

    public IEnumerable<string> LogicalNames => _map.Keys;

    /// <summary>The service's name for a logical column.</summary>
    public string this[string logical] => _byReference.TryGetValue(logical, out var name) ? name : _map[logical];
}
