using Microsoft.AspNetCore.Http;

namespace Broker.Simulators.Tap;

/// <summary>TAP/UWS request parameters: query string merged with a form body, names case-insensitive, first value wins.</summary>
internal sealed class TapParameters
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.OrdinalIgnoreCase);

    public static async Task<TapParameters> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var p = new TapParameters();
        foreach (var (key, values) in request.Query) p.AddAll(key, values);
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct).ConfigureAwait(false);
            foreach (var (key, values) in form) p.AddAll(key, values);
        }

        return p;
    }

    public static TapParameters From(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var p = new TapParameters();
        foreach (var (k, v) in pairs) p.Add(k, v);
        return p;
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
    public IEnumerable<KeyValuePair<string, string>> FirstValues() =>
        _values.Where(kv => kv.Value.Count > 0).Select(kv => KeyValuePair.Create(kv.Key.ToLowerInvariant(), kv.Value[0]));

    private void AddAll(string key, Microsoft.Extensions.Primitives.StringValues values)
    {
        foreach (var v in values) Add(key, v ?? string.Empty);
    }
}
