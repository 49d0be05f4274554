namespace Broker.Adql;

/// <summary>
/// Thrown when a syntactically valid query cannot be executed: unknown or ambiguous table or column,
/// unsupported function or construct, misuse of aggregates.
/// </summary>
public sealed class AdqlSemanticException : Exception
{
    /// <summary>Creates the exception with a user-readable message.</summary>
    public AdqlSemanticException(string message)
        : base(message)
    {
    }
}
