namespace Broker.TapService;

/// <summary>
/// TAP/UWS request parameters: names case-insensitive (DALI), values as given, the first value of a repeated name wins
/// where one value is meant. Unknown parameters are kept (and ignored by the query runner).
/// </summary>
public sealed class TapParameters
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.OrdinalIgnoreCase);

    public static TapParameters From(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var p = new TapParameters();
        foreach (var (k, v) in pairs) p.Add(k, v);
        return p;
    }

    /// <summary>Adds every value of every name (a query string or a form, as ASP.NET collects them).</summary>
    public void AddAll(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> pairs)
    {
        foreach (var (key, values) in pairs)
            foreach (var v in values) Add(key, v ?? string.Empty);
    }

    public IEnumerable<string> Names => _values.Keys;

    public string? this[string name] => _values.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : null;

    public IReadOnlyList<string> All(string name) => _values.TryGetValue(name, out var v) ? v : [];

    public void Add(string name, string value)
    {
        if (!_values.TryGetValue(name, out var list)) _values[name] = list = [];
        list.Add(value);
    }

    /// <summary>First value of each parameter, names lower-cased (how UWS job documents list them).</summary>
    public Dictionary<string, string> FirstValues() =>
        _values.Where(kv => kv.Value.Count > 0).ToDictionary(kv => kv.Key.ToLowerInvariant(), kv => kv.Value[0], StringComparer.Ordinal);
}
