namespace Broker.Core.Validation;

/// <summary>
/// What a GetData request may ask for, checked by every door before any session lookup or provider call: a caller's
/// malformed ids are the caller's error (400, SOAP Fault), never a provider call that fails.
/// </summary>
public static class FileIdRules
{
    /// <summary>File ids per GetData request, over all providers.</summary>
    public const int MaxIdsPerRequest = 10_000;

    /// <summary>Characters per file id (real ids are well under 200; the bound keeps lookups and provider queries small).</summary>
    public const int MaxIdLength = 1024;

    /// <summary>Every problem with the ids of one request (empty when they may be looked up), in request order.</summary>
    /// <param name="ids">All ids of the request, in request order; null items are what a JSON <c>null</c> becomes.</param>
    /// <param name="field">The request member the ids came from, for the messages (e.g. <c>fileIds</c>).</param>
    public static IReadOnlyList<QueryError> Check(IReadOnlyCollection<string?> ids, string field)
    {
        if (ids.Count > MaxIdsPerRequest)
            return [new QueryError(field, $"{ids.Count} file ids: at most {MaxIdsPerRequest} per request; split the request")];
        var errors = new List<QueryError>();
        var index = 0;
        foreach (var id in ids)
        {
            var problem = id switch
            {
                null => "is null; every file id must be a string",
                { Length: 0 } => "is empty",
                _ when string.IsNullOrWhiteSpace(id) => "is only blanks",
                { Length: > MaxIdLength } => $"has {id.Length} characters; at most {MaxIdLength}",
                _ when id.Any(char.IsControl) => "contains a control character",
                _ => null,
            };
            if (problem is not null && errors.Count < 10) errors.Add(new QueryError($"{field}[{index}]", $"file id {problem}"));
            index++;
        }
        return errors;
    }

    /// <summary>Throws <see cref="QueryValidationException"/> when <see cref="Check"/> finds a problem.</summary>
    public static void Validate(IReadOnlyCollection<string?> ids, string field)
    {
        var errors = Check(ids, field);
        if (errors.Count > 0) throw new QueryValidationException(errors);
    }
}
