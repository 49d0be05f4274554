namespace Broker.Adql;

/// <summary>
/// Executes ADQL queries over an <see cref="IAdqlCatalog"/> of in-memory rows. Binding and type checks happen
/// eagerly in <see cref="Execute(SelectStatement, long?)"/> (errors are <see cref="AdqlSemanticException"/>);
/// rows are produced lazily.
/// </summary>
public sealed class AdqlEvaluator
{
    private readonly IAdqlCatalog _catalog;

    /// <summary>Creates an evaluator over a catalog.</summary>
    public AdqlEvaluator(IAdqlCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _catalog = catalog;
    }

    /// <summary>Parses and executes ADQL text.</summary>
    /// <param name="adql">The query.</param>
    /// <param name="maxRec">TAP MAXREC: at most this many rows are returned; <see cref="AdqlResult.Overflow"/> tells whether more existed.</param>
    /// <exception cref="AdqlSyntaxException">The text does not parse.</exception>
    /// <exception cref="AdqlSemanticException">Unknown/ambiguous names, type errors, unsupported features.</exception>
    public AdqlResult Execute(string adql, long? maxRec = null) => Execute(AdqlParser.Parse(adql), maxRec);

    /// <summary>Executes a parsed query.</summary>
    /// <param name="statement">The query.</param>
    /// <param name="maxRec">TAP MAXREC: at most this many rows are returned; <see cref="AdqlResult.Overflow"/> tells whether more existed.</param>
    /// <exception cref="AdqlSemanticException">Unknown/ambiguous names, type errors, unsupported features.</exception>
    public AdqlResult Execute(SelectStatement statement, long? maxRec = null)
    {
        ArgumentNullException.ThrowIfNull(statement);
        if (maxRec is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxRec), "MAXREC must not be negative.");
        }

        var plan = QueryPlanner.Plan(statement, _catalog);
        return new AdqlResult(plan.Columns, plan.Rows, statement.Offset, statement.Top, maxRec);
    }
}
