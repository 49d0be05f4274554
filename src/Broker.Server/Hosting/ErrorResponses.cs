using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace Broker.Server.Hosting;

/// <summary>
/// Every REST error is an RFC 9457 problem document in UTF-8 that says what to change, including the answers
/// Kestrel and ASP.NET give on their own (413, 414, 415, 431, bodies that are not JSON, unknown paths). Kestrel
/// refuses an over-long request line or header block with an empty body, before any middleware runs; so its own
/// limits are set a few times above the broker's, and the broker refuses at its limits itself, with a document.
/// </summary>
public static class ErrorResponses
{
    /// <summary>Longest request target (path and query) the broker reads; longer gets 414.</summary>
    public const int MaxUrlLength = 8 * 1024;
    /// <summary>Largest header block (names and values) the broker reads; larger gets 431.</summary>
    public const int MaxHeaderBytes = 32 * 1024;
    /// <summary>Most header fields the broker reads; more gets 431.</summary>
    public const int MaxHeaderCount = 100;

    private const string ProblemJson = "application/problem+json";

    /// <summary>Raises Kestrel's hard limits above the broker's and fills in what each error document says.</summary>
    public static WebApplicationBuilder AddBrokerErrorResponses(this WebApplicationBuilder builder, BrokerOptions options)
    {
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestLineSize = 4 * MaxUrlLength;
            k.Limits.MaxRequestHeadersTotalSize = 4 * MaxHeaderBytes;
            k.Limits.MaxRequestHeaderCount = 4 * MaxHeaderCount;
        });
        // A body the endpoint cannot read (too large, cut off) keeps its 4xx instead of becoming a 500.
        // A form that cannot be decoded (ReadFormAsync: InvalidDataException) is the caller's error too.
        builder.Services.Configure<ExceptionHandlerOptions>(o => o.StatusCodeSelector = ex => ex switch
        {
            BadHttpRequestException bad => bad.StatusCode,
            InvalidDataException => StatusCodes.Status400BadRequest,
            _ => StatusCodes.Status500InternalServerError,
        });
        builder.Services.Configure<ProblemDetailsOptions>(o => o.CustomizeProblemDetails += c => Explain(c, options));
        return builder;
    }

    /// <summary>First in the pipeline: the broker's URL and header limits, and <c>charset=utf-8</c> on every problem document.</summary>
    public static WebApplication UseBrokerErrorResponses(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var response = (HttpResponse)state;
                if (response.ContentType is { } type && type.StartsWith(ProblemJson, StringComparison.OrdinalIgnoreCase)
                    && !type.Contains("charset", StringComparison.OrdinalIgnoreCase))
                    response.ContentType = ProblemJson + "; charset=utf-8";
                return Task.CompletedTask;
            }, context.Response);
            if (Refusal(context.Request) is { } refusal)
            {
                context.Response.StatusCode = refusal.Status;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = { Status = refusal.Status, Detail = refusal.Detail },
                });
                return;
            }
            await next(context);
        });
        return app;
    }

    private static (int Status, string Detail)? Refusal(HttpRequest request)
    {
        var target = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path + request.QueryString;
        if (target.Length > MaxUrlLength)
            return (StatusCodes.Status414UriTooLong,
                $"the URL is {target.Length} characters long, more than {MaxUrlLength}: send the query as a JSON body with POST");
        var count = 0;
        long bytes = 0;
        foreach (var (name, values) in request.Headers)
        {
            count += values.Count;
            bytes += name.Length + values.Sum(v => (long)(v?.Length ?? 0));
        }
        if (count > MaxHeaderCount)
            return (StatusCodes.Status431RequestHeaderFieldsTooLarge, $"the request has {count} header fields, more than {MaxHeaderCount}: send fewer");
        if (bytes > MaxHeaderBytes)
            return (StatusCodes.Status431RequestHeaderFieldsTooLarge,
                $"the request headers are {bytes} bytes, more than {MaxHeaderBytes}: send fewer or shorter headers (cookies included)");
        return null;
    }

    /// <summary>Says what to change where ASP.NET would leave only a status title.</summary>
    private static void Explain(ProblemDetailsContext context, BrokerOptions options)
    {
        var problem = context.ProblemDetails;
        var request = context.HttpContext.Request;
        var exception = context.Exception ?? context.HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (!string.IsNullOrEmpty(problem.Detail)) return;
        problem.Detail = problem.Status switch
        {
            StatusCodes.Status413PayloadTooLarge => $"the request body is larger than {options.MaxRequestBytes} bytes: send a smaller request",
            StatusCodes.Status415UnsupportedMediaType => $"Content-Type '{request.ContentType}' is not accepted here: send the body as application/json",
            StatusCodes.Status404NotFound => $"there is no {request.Method} {request.Path}: the API is described at /openapi/v1.json",
            StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not allowed on {request.Path}: the API is described at /openapi/v1.json",
            StatusCodes.Status400BadRequest when exception is BadHttpRequestException bad => OneLine(bad.InnerException?.Message ?? bad.Message),
            StatusCodes.Status400BadRequest when exception is InvalidDataException bad =>
                "the form body cannot be read (" + OneLine(bad.InnerException?.Message ?? bad.Message) + "): send application/x-www-form-urlencoded or multipart/form-data with valid percent-encoding",
            StatusCodes.Status400BadRequest => "the request could not be read: check the body is well-formed JSON of the documented shape (see /openapi/v1.json)",
            _ when exception is BadHttpRequestException bad => OneLine(bad.Message),
            _ => problem.Detail,
        };
    }

    private static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= 300 ? line : line[..300];
    }
}
