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

    /// <summary>
    /// Makes every problem document of these endpoints <c>application/problem+json; charset=utf-8</c> (Results.Problem
    /// names no charset).
    /// </summary>
    public static TBuilder WithUtf8Problems<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(static async (context, next) =>
        {
            var response = context.HttpContext.Response;
            response.OnStarting(static state =>
            {
                var r = (HttpResponse)state;
                if (r.ContentType == "application/problem+json") r.ContentType = "application/problem+json; charset=utf-8";
                return Task.CompletedTask;
            }, response);
            return await next(context);
        });

    public static IResult Problem(int status, string title, string detail, string? type = null) =>
        Results.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail, Type = type });

    public static IResult NotFound(string detail) =>
        Results.Problem(new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = "Not found", Detail = detail });
}
