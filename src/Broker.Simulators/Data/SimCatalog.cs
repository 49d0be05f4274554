namespace Broker.Simulators.Data;

/// <summary>The generated tables of one simulated provider, looked up by qualified or bare name (case-insensitive).</summary>
public sealed class SimCatalog
{
    private readonly Dictionary<string, SimTable> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _ambiguous = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a catalog; bare names resolve too when they are unique.</summary>
    public SimCatalog(IEnumerable<SimTable> tables)
    {
        Tables = tables.ToList();
        foreach (var t in Tables) _byName[t.QualifiedName] = t;
        foreach (var group in Tables.GroupBy(t => t.Name, StringComparer.OrdinalIgnoreCase))
        {
            if (group.Count() == 1) _byName.TryAdd(group.Key, group.First());
            else _ambiguous.Add(group.Key);
        }
    }

    /// <summary>All tables, in declaration order.</summary>
    public IReadOnlyList<SimTable> Tables { get; }

    /// <summary>Finds a table by schema (or null) and name.</summary>
    public SimTable? Find(string? schema, string table) =>
        _byName.TryGetValue(schema is null ? table : schema + "." + table, out var t) ? t : null;

    /// <summary>Finds a table by a possibly qualified name (<c>schema.table</c> or <c>table</c>).</summary>
    public SimTable? Find(string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? Find(null, name) : Find(name[..dot], name[(dot + 1)..]);
    }

    /// <summary>Whether a bare name matches several tables in different schemas.</summary>
    public bool IsAmbiguous(string table) => _ambiguous.Contains(table);
}
