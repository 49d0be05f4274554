using Broker.Core.Services;

namespace Broker.Providers.Tap.Metadata;

/// <summary>Compares the tables and columns a profile needs with what a service declares.</summary>
internal static class MappingCheck
{
    /// <summary>One line per missing table or column, e.g. "table soar.v_sc_data_item lacks column is_active".</summary>
    public static IReadOnlyList<string> FindMissing(
        IReadOnlyDictionary<string, IReadOnlyList<string>> required, IReadOnlyList<TableMetadata> declared)
    {
        var problems = new List<string>();
        foreach (var (table, columns) in required.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var found = Find(table, declared);
            if (found is null)
            {
                problems.Add($"table {table} is missing");
                continue;
            }
            var have = new HashSet<string>(found.Columns.Select(c => c.Name.Trim('"')), StringComparer.OrdinalIgnoreCase);
            foreach (var column in columns.Distinct(StringComparer.OrdinalIgnoreCase))
                if (!have.Contains(column)) problems.Add($"table {table} lacks column {column}");
        }
        return problems;
    }

    /// <summary>Finds a table by its qualified name, or by its bare name when one side has no schema.</summary>
    public static TableMetadata? Find(string table, IReadOnlyList<TableMetadata> declared)
    {
        var exact = declared.FirstOrDefault(t => string.Equals(t.Name, table, StringComparison.OrdinalIgnoreCase));
        if (exact is not null) return exact;
        var bare = Bare(table);
        var candidates = declared.Where(t => string.Equals(Bare(t.Name), bare, StringComparison.OrdinalIgnoreCase)
            && (!t.Name.Contains('.', StringComparison.Ordinal) || !table.Contains('.', StringComparison.Ordinal))).ToList();
        return candidates.Count == 1 ? candidates[0] : null;
    }

    private static string Bare(string name) => name[(name.LastIndexOf('.') + 1)..];
}
