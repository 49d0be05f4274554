namespace Broker.Providers.Tap.Profiles;

/// <summary>A profile's logical column names mapped to the service's names (the profile's defaults, overridable in providers.yaml).</summary>
internal sealed class ColumnMap
{
    private readonly Dictionary<string, string> _map;

    public ColumnMap(IEnumerable<string> logicalNames, IReadOnlyDictionary<string, string> overrides)
    {
        _map = logicalNames.ToDictionary(n => n, n => n, StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in overrides)
            if (_map.ContainsKey(k)) _map[k] = v.Trim();
        Unknown = overrides.Keys.Where(k => !logicalNames.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
    }

    /// <summary>Override keys that name no logical column of the profile (configuration errors).</summary>
    public IReadOnlyList<string> Unknown { get; }

    public IEnumerable<string> LogicalNames => _map.Keys;

    /// <summary>The service's name for a logical column.</summary>
    public string this[string logical] => _map[logical];
}
