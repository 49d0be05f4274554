using Broker.Core.Services;
using Broker.Providers.Tap.Metadata;

namespace Broker.Providers.Tap.Profiles;

/// <summary>The tables and columns a service declared in VOSI /tables, looked up as the mapping check does.</summary>
internal sealed class TableSchema(IReadOnlyList<TableMetadata> tables)
{
    public bool HasTable(string table) => MappingCheck.Find(table, tables) is not null;

    public bool Has(string table, string column) => Column(table, column) is not null;

    public string? Unit(string table, string column) => Column(table, column)?.Unit;

    private ColumnMetadata? Column(string table, string column) =>
        MappingCheck.Find(table, tables)?.Columns.FirstOrDefault(c => string.Equals(c.Name.Trim('"'), column, StringComparison.OrdinalIgnoreCase));
}
