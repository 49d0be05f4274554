namespace Broker.Adql;

/// <summary>A table backed by an in-memory (or lazily produced) sequence of rows.</summary>
public sealed class InMemoryTable : IAdqlTable
{
    /// <summary>Creates a table. <paramref name="rows"/> is not copied.</summary>
    public InMemoryTable(string? schema, string name, IReadOnlyList<AdqlColumn> columns, IEnumerable<object?[]> rows)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        Schema = schema;
        Name = name;
        Columns = columns;
        Rows = rows;
    }

    /// <inheritdoc />
    public string? Schema { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public IReadOnlyList<AdqlColumn> Columns { get; }

    /// <inheritdoc />
    public IEnumerable<object?[]> Rows { get; }
}

/// <summary>
/// A simple catalog of tables. Names match case-insensitively; an unqualified name resolves when exactly one
/// table has it.
/// </summary>
public sealed class InMemoryCatalog : IAdqlCatalog
{
    private readonly List<IAdqlTable> _tables = [];

    /// <summary>Creates an empty catalog.</summary>
    public InMemoryCatalog()
    {
    }

    /// <summary>Creates a catalog holding the given tables.</summary>
    public InMemoryCatalog(IEnumerable<IAdqlTable> tables)
    {
        foreach (var table in tables)
        {
            Add(table);
        }
    }

    /// <summary>The registered tables.</summary>
    public IReadOnlyList<IAdqlTable> Tables => _tables;

    /// <summary>Adds a table; throws when a table with the same schema and name exists.</summary>
    public InMemoryCatalog Add(IAdqlTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (_tables.Any(t => Same(t.Schema, table.Schema) && Same(t.Name, table.Name)))
        {
            throw new ArgumentException($"Table {table.Schema}.{table.Name} is already registered.", nameof(table));
        }

        _tables.Add(table);
        return this;
    }

    /// <inheritdoc />
    public IAdqlTable? FindTable(string? schema, string table)
    {
        var matches = _tables
            .Where(t => Same(t.Name, table) && (schema is null || Same(t.Schema, schema)))
            .Take(2)
            .ToList();
        return matches.Count switch
        {
            0 => null,
            1 => matches[0],
            _ => throw new AdqlSemanticException($"Table name '{table}' is ambiguous; qualify it with a schema"),
        };
    }

    private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
