using System.Globalization;
using System.Net;
using Broker.Adql;
using Broker.Core.Providers;
using Broker.Core.Services;
using Broker.Providers.Tap.Profiles;
using Microsoft.Extensions.Logging;

namespace Broker.Providers.Tap.Protocol;

/// <summary>
/// Runs ADQL on one TAP service: a synchronous POST to /sync, or a UWS 1.1 job on /async (created with
/// PHASE=RUN, polled with WAIT and backoff, result fetched, and always deleted afterwards).
/// </summary>
internal sealed partial class TapClient(
    string providerId, HttpClient http, TapEndpoints endpoints, TapProviderOptions options, TimeProvider time, ILogger logger,
    OrphanedJobs? orphanedJobs = null)
{
    private volatile bool _binary2Offered;
    private volatile IReadOnlySet<string>? _listedDelimited;

    /// <summary>Names the service's VOSI /tables lists delimited (set by the metadata check; used by quoteIdentifiers: auto).</summary>
    public IReadOnlySet<string>? ListedDelimited
    {
        get => _listedDelimited;
        set => _listedDelimited = value;
    }

    /// <summary>How identifiers are delimited in the ADQL sent to this service.</summary>
    public IdentifierQuoting Quoting => new(options.QuoteIdentifiers, _listedDelimited);

    /// <summary>Set by the metadata check when /capabilities lists BINARY2 (used by format: auto).</summary>
    public bool Binary2Offered
    {
        get => _binary2Offered;
        set => _binary2Offered = value;
    }

    /// <summary>The FORMAT value sent.</summary>
    public string FormatParameter => (options.Format == TapFormat.Auto ? (_binary2Offered ? TapFormat.Binary2 : TapFormat.VoTable) : options.Format) switch
    {
        TapFormat.Binary2 => "application/x-votable+xml;serialization=BINARY2",
        TapFormat.Csv => "csv",
        TapFormat.Json => "json",
        _ => "votable",
    };

    /// <summary>
    /// Runs a query and maps its rows; MAXREC = <paramref name="maxRecords"/>. The answer must have every column the
    /// query selects by name, and <paramref name="alsoExpected"/> (what a <c>SELECT *</c> must bring).
    /// </summary>
    public async Task<TapRows<T>> QueryAsync<T>(SelectStatement query, int maxRecords, Func<ResultRow, T?> map, CancellationToken ct,
        IEnumerable<string>? alsoExpected = null)
        where T : class
    {
        var parameters = Parameters(AdqlPrinter.Print(query, Quoting), maxRecords);
        var expected = SelectedNames(query).Concat(alsoExpected ?? []).ToList();

        switch (options.Mode)
        {
            case TapMode.Sync:
                return await SyncAsync(parameters, maxRecords, map, expected, ct).ConfigureAwait(false);
            case TapMode.Async:
                return await AsyncAsync(parameters, maxRecords, map, expected, ct).ConfigureAwait(false);
        }
        if (maxRecords > options.AsyncThreshold)
            return await AsyncAsync(parameters, maxRecords, map, expected, ct).ConfigureAwait(false);
        using var syncBudget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        syncBudget.CancelAfter(options.SyncTimeout);
        try
        {
            return await SyncAsync(parameters, maxRecords, map, expected, syncBudget.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            LogSyncTimedOut(logger, providerId, (long)options.SyncTimeout.TotalMilliseconds);
            return await AsyncAsync(parameters, maxRecords, map, expected, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The result column names of the items selected by name (a column or an alias).</summary>
    private static IEnumerable<string> SelectedNames(SelectStatement query) =>
        query.Items.OfType<ExpressionItem>().Select(i => i.Alias?.Name ?? (i.Expression as ColumnRef)?.Name).OfType<string>();

    private List<KeyValuePair<string, string>> Parameters(string adql, int maxRecords) =>
    [
        new("REQUEST", "doQuery"),
        new("LANG", "ADQL"),
        new("FORMAT", FormatParameter),
        new("MAXREC", maxRecords.ToString(CultureInfo.InvariantCulture)),
        new("QUERY", adql),
    ];

    private async Task<TapRows<T>> SyncAsync<T>(
        List<KeyValuePair<string, string>> parameters, int maxRecords, Func<ResultRow, T?> map, IReadOnlyCollection<string> expected,
        CancellationToken ct) where T : class
    {
        var started = time.GetTimestamp();
        var request = new HttpRequestMessage(HttpMethod.Post, endpoints.Sync) { Content = new FormUrlEncodedContent(parameters) };
        var response = await TapHttp.SendAsync(http, request, providerId, ct).ConfigureAwait(false);
        try
        {
            if (TapHttp.IsRedirect(response.StatusCode))
            {
                // CADC-style services answer /sync with a 303 to the result.
                var target = TapHttp.RedirectTarget(response, endpoints.Sync)
                    ?? throw new ProviderException($"{providerId} answered /sync with a redirect without Location");
                response.Dispose();
                response = await TapHttp.GetAsync(http, target, providerId, ct).ConfigureAwait(false);
            }
            await TapHttp.EnsureSuccessAsync(response, providerId, "query", ct).ConfigureAwait(false);
            var rows = await TapResultReader.ReadAsync(response, providerId, maxRecords, map, expected, ct).ConfigureAwait(false);
            LogSyncDone(logger, providerId, rows.Items.Count, rows.Overflow, (long)time.GetElapsedTime(started).TotalMilliseconds);
            return rows;
        }
        finally
        {
            response.Dispose();
        }
    }

    private async Task<TapRows<T>> AsyncAsync<T>(
        List<KeyValuePair<string, string>> parameters, int maxRecords, Func<ResultRow, T?> map, IReadOnlyCollection<string> expected,
        CancellationToken ct) where T : class
    {
        var started = time.GetTimestamp();
        Uri? jobUrl = null;
        UwsJob? job = null;
        try
        {
            (jobUrl, job) = await CreateJobWithGraceAsync(parameters, ct).ConfigureAwait(false);
            LogJobCreated(logger, providerId, jobUrl);
            job ??= await GetJobAsync(jobUrl, wait: null, ct).ConfigureAwait(false);
            if (job.Phase is "PENDING" or "HELD") await RunJobAsync(jobUrl, ct).ConfigureAwait(false);
            job = await WaitForEndAsync(jobUrl, job, ct, seen => job = seen).ConfigureAwait(false);
            switch (job.Phase)
            {
                case "COMPLETED":
                    break;
                case "ERROR":
                    throw new ProviderException($"{providerId} reported an error: {job.ErrorMessage ?? await ErrorDocumentAsync(jobUrl, ct).ConfigureAwait(false) ?? "the job failed without a message"}");
                default:
                    throw new ProviderException($"{providerId} ended the query job in phase {job.Phase}" + (job.ErrorMessage is null ? "" : ": " + job.ErrorMessage));
            }
            var resultUrl = job.ResultUrl ?? TapEndpoints.Child(jobUrl, "results/result");
            if (!RegistryHosts.SameService(resultUrl, endpoints.Async))
                throw new ProviderException($"{providerId}'s job names its result at {resultUrl.Scheme}://{resultUrl.Authority}, which is not a host and port of the registry; not followed");
            using var response = await TapHttp.GetAsync(http, resultUrl, providerId, ct).ConfigureAwait(false);
            await TapHttp.EnsureSuccessAsync(response, providerId, "result download", ct).ConfigureAwait(false);
            var rows = await TapResultReader.ReadAsync(response, providerId, maxRecords, map, expected, ct).ConfigureAwait(false);
            LogJobDone(logger, providerId, jobUrl, rows.Items.Count, rows.Overflow, (long)time.GetElapsedTime(started).TotalMilliseconds);
            return rows;
        }
        finally
        {
            if (jobUrl is not null) await DeleteJobAsync(jobUrl, job?.Destruction).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Creates the job, letting a creation already sent finish for up to the cleanup timeout after the caller cancels:
    /// a job the provider created but whose URL we never read could not be deleted and would be orphaned.
    /// </summary>
    private async Task<(Uri JobUrl, UwsJob? Job)> CreateJobWithGraceAsync(List<KeyValuePair<string, string>> parameters, CancellationToken ct)
    {
        using var creation = new CancellationTokenSource();
        using var grace = ct.Register(() => creation.CancelAfter(options.CleanupTimeout));
        var created = await CreateJobAsync(parameters, creation.Token).ConfigureAwait(false);
        if (ct.IsCancellationRequested)
        {
            await DeleteJobAsync(created.JobUrl, created.Job?.Destruction).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
        }
        return created;
    }

    /// <summary>POST /async; the job URL comes from the 303 Location (absolute or relative), or from the final URL when the handler followed it.</summary>
    private async Task<(Uri JobUrl, UwsJob? Job)> CreateJobAsync(List<KeyValuePair<string, string>> parameters, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoints.Async)
        {
            Content = new FormUrlEncodedContent([.. parameters, new("PHASE", "RUN")]),
        };
        using var response = await TapHttp.SendAsync(http, request, providerId, ct).ConfigureAwait(false);
        if (TapHttp.IsRedirect(response.StatusCode))
        {
            var location = TapHttp.RedirectTarget(response, endpoints.Async)
                ?? throw new ProviderException($"{providerId} created a job without saying where (no Location)");
            return (location, null);
        }
        await TapHttp.EnsureSuccessAsync(response, providerId, "job creation", ct).ConfigureAwait(false);
        var finalUrl = response.RequestMessage?.RequestUri;
        var body = await TapHttp.ReadLimitedAsync(response.Content, 1 << 20, ct).ConfigureAwait(false);
        if (finalUrl is not null && finalUrl != endpoints.Async)
            return (finalUrl, ParseJob(body, finalUrl));
        // A 200/201 with the job document in the body: the job lives at async/{jobId}.
        var job = ParseJob(body, endpoints.Async);
        if (job.JobId is null) throw new ProviderException($"{providerId} created a job without an id");
        var jobUrl = TapEndpoints.Child(endpoints.Async, Uri.EscapeDataString(job.JobId));
        return (jobUrl, job with { ResultUrl = null });
    }

    private async Task RunJobAsync(Uri jobUrl, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, TapEndpoints.Child(jobUrl, "phase"))
        {
            Content = new FormUrlEncodedContent([new("PHASE", "RUN")]),
        };
        using var response = await TapHttp.SendAsync(http, request, providerId, ct).ConfigureAwait(false);
        if (!TapHttp.IsRedirect(response.StatusCode))
            await TapHttp.EnsureSuccessAsync(response, providerId, "job start", ct).ConfigureAwait(false);
    }

    /// <summary>Polls with WAIT=n (the server may block up to n s) and a doubling interval, until a final phase.</summary>
    private async Task<UwsJob> WaitForEndAsync(Uri jobUrl, UwsJob job, CancellationToken ct, Action<UwsJob> seen)
    {
        var interval = options.PollInterval;
        var runRequests = 0;
        while (!job.IsFinal)
        {
            var asked = time.GetTimestamp();
            var previous = job.Phase;
            job = await GetJobAsync(jobUrl, interval, ct).ConfigureAwait(false);
            seen(job);
            if (job.IsFinal) break;
            if (job.Phase is "PENDING" && runRequests++ < 3) await RunJobAsync(jobUrl, ct).ConfigureAwait(false);
            var elapsed = time.GetElapsedTime(asked);
            // A service that ignores WAIT answers at once: sleep the rest of the interval ourselves.
            if (job.Phase == previous && elapsed < interval)
                await Task.Delay(interval - elapsed, time, ct).ConfigureAwait(false);
            interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, options.MaxPollInterval.Ticks));
        }
        return job;
    }

    private async Task<UwsJob> GetJobAsync(Uri jobUrl, TimeSpan? wait, CancellationToken ct)
    {
        var url = wait is { } w
            ? TapEndpoints.WithQuery(jobUrl, "WAIT", Math.Max(1, (int)Math.Ceiling(w.TotalSeconds)).ToString(CultureInfo.InvariantCulture))
            : jobUrl;
        using var response = await TapHttp.GetAsync(http, url, providerId, ct).ConfigureAwait(false);
        await TapHttp.EnsureSuccessAsync(response, providerId, "job status", ct).ConfigureAwait(false);
        var body = await TapHttp.ReadLimitedAsync(response.Content, 1 << 20, ct).ConfigureAwait(false);
        return ParseJob(body, jobUrl);
    }

    private UwsJob ParseJob(byte[] body, Uri jobUrl)
    {
        try
        {
            return UwsJob.Parse(body, jobUrl);
        }
        catch (FormatException ex)
        {
            throw new ProviderException($"malformed UWS job document from {providerId}: {ex.Message}", inner: ex);
        }
    }

    /// <summary>GET job/error (a VOTable error document or text) when the summary had no message.</summary>
    private async Task<string?> ErrorDocumentAsync(Uri jobUrl, CancellationToken ct)
    {
        try
        {
            using var response = await TapHttp.GetAsync(http, TapEndpoints.Child(jobUrl, "error"), providerId, ct).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK ? await TapHttp.ErrorMessageAsync(response, ct).ConfigureAwait(false) : null;
        }
        catch (ProviderException)
        {
            return null;
        }
    }

    /// <summary>
    /// DELETE the job, also when the search was cancelled or timed out: a separate, short-lived token bounds the
    /// cleanup. A job the provider did not confirm deleted is remembered for the orphaned-job janitor
    /// (<see cref="OrphanedJobs"/>), which tries again with backoff until <paramref name="destruction"/>.
    /// </summary>
    private async Task DeleteJobAsync(Uri jobUrl, DateTimeOffset? destruction)
    {
        using var cleanup = new CancellationTokenSource(options.CleanupTimeout, time);
        var failure = await TryDeleteJobAsync(jobUrl, cleanup.Token).ConfigureAwait(false);
        if (failure is null) return;
        LogDeleteFailed(logger, providerId, jobUrl, failure);
        if (orphanedJobs is not null)
        {
            using var remember = new CancellationTokenSource(options.CleanupTimeout, time);
            await orphanedJobs.RememberAsync(providerId, jobUrl, destruction, failure, remember.Token).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One DELETE of a job of this service: null when the provider confirmed (2xx, a redirect, 404 or 410: gone), else
    /// why not. Never throws for a provider failure; a URL on another host or port is refused without a request.
    /// </summary>
    public async Task<string?> TryDeleteJobAsync(Uri jobUrl, CancellationToken ct)
    {
        if (!RegistryHosts.SameService(jobUrl, endpoints.Async)) return $"{jobUrl.Authority} is not {providerId}'s host and port";
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, jobUrl);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            if (response.IsSuccessStatusCode || TapHttp.IsRedirect(response.StatusCode) || response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            {
                LogJobDeleted(logger, providerId, jobUrl);
                return null;
            }
            return $"HTTP {(int)response.StatusCode}";
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or ProviderException or ProviderUnauthorizedException)
        {
            return ex is OperationCanceledException ? "no answer within the cleanup timeout" : ex.Message;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "TAP sync query to {ProviderId}: {Rows} rows, overflow {Overflow} in {ElapsedMs} ms")]
    private static partial void LogSyncDone(ILogger logger, string providerId, int rows, bool overflow, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "TAP sync query to {ProviderId} took over {TimeoutMs} ms; running it as an async job")]
    private static partial void LogSyncTimedOut(ILogger logger, string providerId, long timeoutMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "TAP job created on {ProviderId}: {JobUrl}")]
    private static partial void LogJobCreated(ILogger logger, string providerId, Uri jobUrl);

    [LoggerMessage(Level = LogLevel.Debug, Message = "TAP job {JobUrl} on {ProviderId}: {Rows} rows, overflow {Overflow} in {ElapsedMs} ms")]
    private static partial void LogJobDone(ILogger logger, string providerId, Uri jobUrl, int rows, bool overflow, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "TAP job {JobUrl} on {ProviderId} deleted")]
    private static partial void LogJobDeleted(ILogger logger, string providerId, Uri jobUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TAP job {JobUrl} on {ProviderId} could not be deleted: {Reason}")]
    private static partial void LogDeleteFailed(ILogger logger, string providerId, Uri jobUrl, string reason);
}
