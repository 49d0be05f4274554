using Broker.Core.Search;
using Broker.Core.Validation;
using Microsoft.AspNetCore.Mvc;

namespace Broker.Server.Rest;

/// <summary>RFC 7807 problem documents with messages a person can act on.</summary>
public static class Problems
{
    public static IResult BadRequest(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest, Title = title, Detail = detail,
            Type = "https://virtualsolar.org/broker/problems/bad-request",
            Extensions = extensions ?? new Dictionary<string, object?>(),
        });

    public static IResult Invalid(QueryValidationException ex, string title = "The query is not valid") =>
        BadRequest(title, ex.Message, new Dictionary<string, object?>
        {
            ["errors"] = ex.Errors.Select(e => new { field = e.Field, message = e.Message }).ToList(),
        });

    public static IResult NoProvider(NoProviderException ex) =>
        BadRequest("No provider can answer this query", ex.Message, new Dictionary<string, object?>
        {
            ["block"] = ex.BlockIndex,
            ["reasons"] = ex.Reasons,
        });

    public static IResult NotFound(string detail) =>
        Results.Problem(new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = "Not found", Detail = detail });
}
