namespace Broker.Adql;

/// <summary>
/// Thrown when ADQL text cannot be tokenised or parsed. The message has the form
/// <c>Syntax error at 1:6 near "QUERY": expected ...</c>.
/// </summary>
public sealed class AdqlSyntaxException : Exception
{
    /// <summary>Creates the exception for a position in the query text.</summary>
    /// <param name="line">1-based line.</param>
    /// <param name="column">1-based column.</param>
    /// <param name="near">Offending token text, or <c>null</c> at end of input.</param>
    /// <param name="detail">What was expected or what went wrong.</param>
    public AdqlSyntaxException(int line, int column, string? near, string detail)
        : base(Format(line, column, near, detail))
    {
        Line = line;
        Column = column;
        Near = near;
        Detail = detail;
    }

    /// <summary>1-based line of the error.</summary>
    public int Line { get; }

    /// <summary>1-based column of the error.</summary>
    public int Column { get; }

    /// <summary>The offending token text, or <c>null</c> when the error is at the end of the input.</summary>
    public string? Near { get; }

    /// <summary>Explanation without the position prefix.</summary>
    public string Detail { get; }

    private static string Format(int line, int column, string? near, string detail)
    {
        var where = near is null ? "near end of input" : $"near \"{near}\"";
        return $"Syntax error at {line}:{column} {where}: {detail}";
    }
}
