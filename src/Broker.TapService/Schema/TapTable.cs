namespace Broker.TapService.Schema;

/// <summary>Where a table's rows come from.</summary>
public enum TableSource
{
    /// <summary>The federated records (<c>vso.records</c>, <c>ivoa.obscore</c>): a query fans out to the providers.</summary>
    Records,
    /// <summary>The provider registry with live state (<c>vso.providers</c>).</summary>
    Providers,
    /// <summary>The service's own metadata (<c>TAP_SCHEMA.*</c>).</summary>
    TapSchema,
}

/// <summary>One published table. <see cref="Name"/> is qualified (<c>schema.table</c>), as TAP_SCHEMA spells it.</summary>
public sealed record TapTable(string Schema, string Name, string Description, TableSource Source, IReadOnlyList<TapColumn> Columns)
{
    /// <summary>TAP_SCHEMA.tables.utype (e.g. the ObsCore model for <c>ivoa.obscore</c>).</summary>
    public string? Utype { get; init; }

    /// <summary>The table name without its schema.</summary>
    public string BareName => Name[(Name.IndexOf('.', StringComparison.Ordinal) + 1)..];

    /// <summary>The column called <paramref name="name"/> (case-insensitive), or null.</summary>
    public TapColumn? Find(string name) => Columns.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A foreign key between published tables (TAP_SCHEMA.keys and key_columns).</summary>
public sealed record TapForeignKey(string Id, string FromTable, string TargetTable, string FromColumn, string TargetColumn, string Description);

/// <summary>A schema with its description, in TAP_SCHEMA.schemas order.</summary>
public sealed record TapSchemaEntry(string Name, string Description);
