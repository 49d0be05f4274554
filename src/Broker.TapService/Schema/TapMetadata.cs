namespace Broker.TapService.Schema;

/// <summary>
/// Everything the service publishes: the schemas, tables and foreign keys. TAP_SCHEMA's rows, <c>/tables</c> and the
/// evaluator's catalog are all generated from this one description.
/// </summary>
public sealed class TapMetadata
{
    private static readonly TapColumn[] SchemasColumns =
    [
        StdText("schema_name", "Schema name, as used in queries", notNull: true),
        StdText("utype", "Data-model utype of the schema"),
        StdText("description", "Description of the schema"),
        StdInt("schema_index", "Recommended order of the schemas"),
    ];

    private static readonly TapColumn[] TablesColumns =
    [
        StdText("schema_name", "Schema the table belongs to", notNull: true),
        StdText("table_name", "Table name, qualified by its schema as used in queries", notNull: true),
        StdText("table_type", "table or view", notNull: true),
        StdText("utype", "Data-model utype of the table"),
        StdText("description", "Description of the table"),
        StdInt("table_index", "Recommended order of the tables"),
    ];

    private static readonly TapColumn[] ColumnsColumns =
    [
        StdText("table_name", "Table the column belongs to", notNull: true),
        StdText("column_name", "Column name", notNull: true),
        StdText("datatype", "VOTable datatype", notNull: true),
        StdText("arraysize", "VOTable arraysize"),
        StdText("xtype", "VOTable xtype"),
        StdInt("size", "Length of a fixed-size array (deprecated; use arraysize)") with { Delimited = true },
        StdText("description", "Description of the column"),
        StdText("utype", "Data-model utype of the column"),
        StdText("unit", "Unit (VOUnit syntax)"),
        StdText("ucd", "Unified content descriptor"),
        StdInt("indexed", "1 when a condition on the column narrows what the providers are asked", notNull: true),
        StdInt("principal", "1 for the columns a client should show first", notNull: true),
        StdInt("std", "1 for columns defined by an IVOA standard", notNull: true),
        StdInt("column_index", "Recommended order of the columns"),
    ];

    private static readonly TapColumn[] KeysColumns =
    [
        StdText("key_id", "Key id", notNull: true),
        StdText("from_table", "Table holding the foreign key", notNull: true),
        StdText("target_table", "Table the key points to", notNull: true),
        StdText("description", "Description of the key"),
        StdText("utype", "Data-model utype of the key"),
    ];

    private static readonly TapColumn[] KeyColumnsColumns =
    [
        StdText("key_id", "Key id", notNull: true),
        StdText("from_column", "Column of from_table", notNull: true),
        StdText("target_column", "Column of target_table", notNull: true),
    ];

    private const string TapSchemaDescription = "The tables, columns and keys this service publishes (TAP 1.1)";

    /// <summary>The service's tables: vso.records, vso.providers, ivoa.obscore and TAP_SCHEMA.</summary>
    public static TapMetadata Default { get; } = new(
        [
            new("vso", "The federated solar record set of every provider of the broker, and the providers themselves"),
            new("ivoa", "IVOA data-model views of the federated records (ObsCore 1.1)"),
            new("TAP_SCHEMA", TapSchemaDescription),
        ],
        [
            RecordTables.Records, ProvidersTable.Table, RecordTables.ObsCore,
            new("TAP_SCHEMA", "TAP_SCHEMA.schemas", "Schemas of this service", TableSource.TapSchema, SchemasColumns),
            new("TAP_SCHEMA", "TAP_SCHEMA.tables", "Tables of this service", TableSource.TapSchema, TablesColumns),
            new("TAP_SCHEMA", "TAP_SCHEMA.columns", "Columns of the tables of this service", TableSource.TapSchema, ColumnsColumns),
            new("TAP_SCHEMA", "TAP_SCHEMA.keys", "Foreign keys between the tables of this service", TableSource.TapSchema, KeysColumns),
            new("TAP_SCHEMA", "TAP_SCHEMA.key_columns", "Columns of the foreign keys", TableSource.TapSchema, KeyColumnsColumns),
        ],
        [
            new("tables_schema", "TAP_SCHEMA.tables", "TAP_SCHEMA.schemas", "schema_name", "schema_name", "The schema of each table"),
            new("columns_table", "TAP_SCHEMA.columns", "TAP_SCHEMA.tables", "table_name", "table_name", "The table of each column"),
            new("keys_from", "TAP_SCHEMA.keys", "TAP_SCHEMA.tables", "from_table", "table_name", "The table holding each key"),
            new("keys_target", "TAP_SCHEMA.keys", "TAP_SCHEMA.tables", "target_table", "table_name", "The table each key points to"),
            new("key_columns_key", "TAP_SCHEMA.key_columns", "TAP_SCHEMA.keys", "key_id", "key_id", "The key of each key column"),
        ]);

    public TapMetadata(IReadOnlyList<TapSchemaEntry> schemas, IReadOnlyList<TapTable> tables, IReadOnlyList<TapForeignKey> keys)
    {
        Schemas = schemas;
        Tables = tables;
        Keys = keys;
    }

    public IReadOnlyList<TapSchemaEntry> Schemas { get; }
    public IReadOnlyList<TapTable> Tables { get; }
    public IReadOnlyList<TapForeignKey> Keys { get; }

    /// <summary>A table by qualified name, or by bare name when unique (case-insensitive); null when unknown.</summary>
    public TapTable? Find(string name)
    {
        var exact = Tables.FirstOrDefault(t => t.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (exact is not null || name.Contains('.', StringComparison.Ordinal)) return exact;
        var bare = Tables.Where(t => t.BareName.Equals(name, StringComparison.OrdinalIgnoreCase)).Take(2).ToList();
        return bare.Count == 1 ? bare[0] : null;
    }

    /// <summary>The rows of a TAP_SCHEMA table.</summary>
    public IEnumerable<object?[]> TapSchemaRows(TapTable table) => table.BareName.ToLowerInvariant() switch
    {
        "schemas" => Schemas.Select((s, i) => new object?[] { s.Name, null, s.Description, (long)i }),
        "tables" => Tables.Select((t, i) => new object?[] { t.Schema, t.Name, "table", t.Utype, t.Description, (long)i }),
        "columns" => Tables.SelectMany(t => t.Columns.Select((c, i) => new object?[]
        {
            t.Name, c.PublishedName, c.Datatype, c.Arraysize, c.Xtype, c.Size is { } n ? (long)n : null, c.Description, c.Utype, c.Unit, c.Ucd,
            Flag(c.Indexed), Flag(c.Principal), Flag(c.Std), (long)i,
        })),
        "keys" => Keys.Select(k => new object?[] { k.Id, k.FromTable, k.TargetTable, k.Description, null }),
        "key_columns" => Keys.Select(k => new object?[] { k.Id, k.FromColumn, k.TargetColumn }),
        _ => throw new ArgumentException($"{table.Name} is not a TAP_SCHEMA table", nameof(table)),
    };

    private static long Flag(bool value) => value ? 1 : 0;

    private static TapColumn StdText(string name, string description, bool notNull = false) =>
        TapColumn.Text(name, null, description) with { Std = true, Principal = true, Domain = new(NotNull: notNull) };

    private static TapColumn StdInt(string name, string description, bool notNull = false) =>
        TapColumn.Int(name, null, null, description) with { Std = true, Principal = true, Domain = new(NotNull: notNull) };
}
