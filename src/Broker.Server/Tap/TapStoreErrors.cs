using System.Data.Common;
using Broker.VoTable;

namespace Broker.Server.Tap;

/// <summary>
/// The TAP door when the job store (PostgreSQL) fails: UWS calls cannot create or read a job without it, so the caller
/// gets 503 with a VOTable saying QUERY_STATUS=ERROR, what still works and when to retry, never a 500. The cause (host,
/// port, PostgreSQL's own words) goes to the operator's log only.
/// </summary>
internal static partial class TapStoreErrors
{
    /// <summary>Seconds a caller is asked to wait (Retry-After) before trying a job call again.</summary>
    private const int RetryAfterSeconds = 30;

    internal const string Message =
        "The broker's job store (PostgreSQL) cannot be reached, so asynchronous jobs can be neither created nor read " +
        "right now; synchronous queries (/tap/sync) still work. Try the job call again in a minute; jobs created " +
        "before the outage are kept.";

    /// <summary>Answers a job-store failure of any endpoint in <paramref name="tap"/> (unless the answer had started).</summary>
    public static RouteGroupBuilder AnswerJobStoreFailures(this RouteGroupBuilder tap)
    {
        tap.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            try
            {
                return await next(context).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsStoreFailure(ex) && !http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested)
            {
                var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TapStoreErrors));
                // The route pattern, not the path: a job's URL is its owner's only key when the caller had no session.
                var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "/tap";
                LogStoreFailure(logger, http.Request.Method, route, ex.GetType().Name, ex.Message);
                http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await TapHttp.BytesAsync(http, StatusCodes.Status503ServiceUnavailable, VoTableWriter.CreateErrorDocument(Message), TapHttp.VoTableType)
                    .ConfigureAwait(false);
                return Results.Empty;
            }
        });
        return tap;
    }

    /// <summary>A database error (Npgsql's are <see cref="DbException"/>s), or a connection that timed out while opening.</summary>
    private static bool IsStoreFailure(Exception ex) => ex is DbException || ex is TimeoutException { InnerException: DbException };

    [LoggerMessage(EventId = 4610, Level = LogLevel.Error, Message = "TAP {Method} {Route}: the job store failed ({Kind}: {Problem}); answered 503")]
    private static partial void LogStoreFailure(ILogger logger, string method, string route, string kind, string problem);
}
