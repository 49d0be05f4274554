namespace Broker.Core.Validation;

/// <summary>One problem with a query: which field (with its block index) and a message a person can act on.</summary>
public sealed record QueryError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}

/// <summary>A query that cannot be run; <see cref="Errors"/> lists every problem found, not only the first.</summary>
public sealed class QueryValidationException(IReadOnlyList<QueryError> errors)
    : Exception(string.Join("; ", errors))
{
    public IReadOnlyList<QueryError> Errors { get; } = errors;
}
