using Broker.Adql;

namespace Broker.Simulators.Data;

/// <summary>
/// Runs ADQL over a provider's generated tables with the project's evaluator (<see cref="AdqlEvaluator"/>),
/// after narrowing time-sorted tables to the slice the WHERE clause can match.
/// </summary>
internal sealed class SimQueryEngine(SimCatalog catalog)
{
    /// <summary>Parses, binds and starts the query; rows are produced lazily by the result.</summary>
    /// <exception cref="AdqlSyntaxException">Bad ADQL.</exception>
    /// <exception cref="AdqlSemanticException">Unknown table/column, type errors.</exception>
    /// <param name="adql">Query text.</param>
    /// <param name="maxRec">TAP MAXREC, or null for no limit.</param>
    /// <param name="ignoreTop">Drop TOP (the "huge result" fault).</param>
    public AdqlResult Execute(string adql, long? maxRec, bool ignoreTop = false)
    {
        var statement = AdqlParser.Parse(adql);
        if (ignoreTop) statement = statement with { Top = null };
        var bounds = TimeNarrowing.Analyse(statement, catalog);
        return new AdqlEvaluator(new NarrowedCatalog(catalog, bounds)).Execute(statement, maxRec);
    }

    /// <summary>The catalog as the evaluator sees it for one query.</summary>
    private sealed class NarrowedCatalog(SimCatalog catalog, Dictionary<SimTable, TimeBounds> bounds) : IAdqlCatalog
    {
        public IAdqlTable? FindTable(string? schema, string table)
        {
            if (schema is null && catalog.IsAmbiguous(table))
            {
                throw new AdqlSemanticException($"Table name '{table}' is ambiguous; qualify it with a schema");
            }

            var found = catalog.Find(schema, table);
            if (found is null) return null;
            IEnumerable<object?[]> rows = bounds.TryGetValue(found, out var b) && found.TimeColumn is not null
                ? b.Slice(found)
                : found.Rows;
            return new InMemoryTable(found.Schema, found.Name, found.AdqlColumns, rows);
        }
    }
}
