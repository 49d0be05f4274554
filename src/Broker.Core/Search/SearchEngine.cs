using System.Diagnostics;
using System.Text.Json;
using Broker.Core.Credentials;
using Broker.Core.Model;
using Broker.Core.Providers;
using Broker.Core.Services;
using Broker.Core.Telemetry;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Broker.Core.Search;

/// <summary>
/// Runs a normalized query: plans which providers can answer each block, calls them all in parallel through
/// their pipelines, and merges the answers. One provider's failure is a status line, never a failed search;
/// only the caller's own cancellation ends the search early.
/// </summary>
public sealed partial class SearchEngine(
    IProviderCatalog catalog, IAnswerCache cache, IEnumerable<ISearchListener> listeners, SearchOptions options,
    TimeProvider time, BrokerMetrics metrics, ILogger<SearchEngine> logger)
{
    private readonly ISearchListener[] _listeners = listeners.ToArray();

    private readonly InflightCalls _inflight = new();

    public SearchOptions Options => options;

    /// <summary>Runs the search; throws <see cref="NoProviderException"/> when a block has no eligible provider.</summary>
    public Task<SearchResult> SearchAsync(SearchRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, countOnly: false, cancellationToken);

    /// <summary>
    /// Counts without fetching: providers that can count (TAP COUNT(*)) and need no check after the fetch are asked for
    /// their count through the same pipeline, in parallel; the others are searched. No history is written.
    /// </summary>
    public Task<SearchResult> CountAsync(SearchRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, countOnly: true, cancellationToken);

    private async Task<SearchResult> RunAsync(SearchRequest request, bool countOnly, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var createdAt = time.GetUtcNow();
        var queryId = Guid.CreateVersion7(createdAt).ToString("N");
        // On the request's span, where the request log line and the trace find it.
        Activity.Current?.SetTag(BrokerTelemetry.QueryIdTag, queryId);
        using var span = BrokerTelemetry.Source.StartActivity("search");
        span?.SetTag(BrokerTelemetry.QueryIdTag, queryId);
        if (logger.IsEnabled(LogLevel.Debug)) LogQueryPayload(logger, queryId, JsonSerializer.Serialize(request.Query, BlockKey.Options));

        // The provider HTTP handlers find the caller's credentials here, for every call this search makes.
        using var credentials = CallerCredentials.Use(request.Credentials);
        var registry = catalog.Current;
        // Each provider's health is read once: a check finishing during the search must not make it both asked and skipped.
        var unhealthy = registry.All.Where(p => !p.IsHealthy).ToList();
        var plan = QueryPlanner.Plan(request.Query, registry.All.Except(unhealthy), request.OnlyProviders);
        var limit = Math.Clamp(request.Limit ?? options.DefaultLimit, 1, options.MaxLimit);

        using var deadline = new CancellationTokenSource(options.Deadline, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var skipped = plan.Skipped.Select(s => new ProviderOutcome { ProviderId = s.Key, Status = ProviderStatus.Skipped, Message = s.Value })
            .Concat(unhealthy.Where(p => request.OnlyProviders is null || request.OnlyProviders.Contains(p.Id))
                .Select(p => new ProviderOutcome
                {
                    ProviderId = p.Id, Status = ProviderStatus.Skipped, Message = "skipped: provider check failed: " + p.Snapshot().HealthProblem,
                }))
            .ToList();
        var asked = plan.Calls.GroupBy(c => c.Provider.Id).ToList();
        request.Planned?.Invoke(new SearchStart(queryId, asked.Select(g => g.Key).ToList(), skipped));
        var perProvider = asked.Select(g => RunProviderAsync(g.Key,
            g.Select(c => countOnly && c.Provider.Adapter is IProviderCounter && c.PostFilter.Count == 0
                ? CountCallAsync(queryId, request, c, limit, linked.Token, cancellationToken)
                : RunCallAsync(queryId, request, c, limit, linked.Token, cancellationToken)).ToArray(), request)).ToArray();
        var outcomes = (await Task.WhenAll(perProvider).ConfigureAwait(false)).ToList();
        cancellationToken.ThrowIfCancellationRequested();
        outcomes.AddRange(skipped);
        var (records, distinct, _) = ResultMerger.Merge(outcomes, limit);
        var (total, totalExact) = Counts.Total(outcomes, distinct);
        var elapsed = (long)Math.Round(time.GetElapsedTime(started).TotalMilliseconds);
        var result = new SearchResult
        {
            QueryId = queryId, CreatedAt = createdAt, Query = request.Query, Records = records, Providers = outcomes,
            Total = total, TotalExact = totalExact, Truncated = total > records.Count || outcomes.Any(o => o.Truncated && !o.FoundExact),
            ElapsedMs = elapsed,
        };
        LogSearch(logger, queryId, SessionLogHash.Of(request.SessionId), request.Query.Blocks.Count,
            string.Join(",", plan.Calls.Select(c => c.Provider.Id).Distinct()),
            string.Join(",", outcomes.Where(o => o.Status != ProviderStatus.Skipped).Select(o => $"{o.ProviderId}={o.Status}")),
            records.Count, total, result.Truncated, elapsed);
        foreach (var listener in countOnly ? [] : _listeners)
        {
            try
            {
                await listener.OnSearchCompletedAsync(request, result, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogListenerFailure(logger, listener.GetType().Name, queryId, ex.Message);
            }
        }
        return result;
    }

    private async Task<ProviderOutcome> RunCallAsync(
        string queryId, SearchRequest request, PlannedCall call, int limit, CancellationToken deadline, CancellationToken caller)
    {
        var provider = call.Provider;
        using var span = BrokerTelemetry.Source.StartActivity("provider call");
        var started = time.GetTimestamp();
        var maxRecords = Math.Min(limit, provider.Config.Resilience.MaxRecords);
        var key = BlockKey.Of(call.Block) + "|" + maxRecords.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var fromCache = false;
        var coalesced = false;
        // Answers obtained with the caller's own credential are theirs alone: no shared cache, no shared call.
        var shared = request.Credentials?.Has(provider.Id) != true;
        var providerFault = true;
        ProviderOutcome outcome;
        try
        {
            ProviderAnswer? answer = null;
            if (shared && !request.BypassCache && provider.Config.Cache.Enabled)
            {
                answer = await TryCacheGetAsync(provider.Id, key, deadline).ConfigureAwait(false);
                metrics.CacheLookup(provider.Id, hit: answer is not null);
            }
            fromCache = answer is not null;
            if (answer is null && !shared)
            {
                answer = InVsoSpelling(await provider.SearchAsync(call.Block, maxRecords, deadline).ConfigureAwait(false), provider.Capabilities.Aliases);
            }
            else if (answer is null)
            {
                answer = await _inflight.RunAsync(provider.Id + "|" + key,
                    async ct => InVsoSpelling(await provider.SearchAsync(call.Block, maxRecords, ct).ConfigureAwait(false), provider.Capabilities.Aliases),
                    deadline, j => coalesced = j).ConfigureAwait(false);
                if (provider.Config.Cache.Enabled && !coalesced)
                    await TryCacheSetAsync(provider.Id, key, answer, provider.Config.Cache.Ttl, deadline).ConfigureAwait(false);
            }
            // Sorted and de-duplicated now, while slower providers are still answering: the final merge is linear.
            // A cached answer (the same object again) is prepared once for a given block and post-filter.
            var (records, rejected) = PreparedAnswers.Get(answer, key + "|" + string.Join(",", call.PostFilter.Order()), () =>
            {
                var (kept, rejectedCount) = new RecordFilter(call.Block, call.PostFilter).Apply(answer.Records);
                return (ResultMerger.Prepare(kept), rejectedCount);
            });
            var (found, foundExact) = Counts.Found(answer, records.Count, rejected);
            outcome = new ProviderOutcome
            {
                ProviderId = provider.Id, Status = records.Count > 0 ? ProviderStatus.Ok : ProviderStatus.Empty,
                RecordCount = records.Count, Records = records, Truncated = answer.Truncated,
                TotalAvailable = answer.TotalAvailable, FromCache = fromCache,
                Found = found, FoundExact = foundExact, Rejected = rejected,
            };
        }
        catch (OperationCanceledException) when (caller.IsCancellationRequested)
        {
            await TryCacheAbandonAsync(provider.Id, key).ConfigureAwait(false);
            throw;
        }
        catch (Exception ex)
        {
            providerFault = IsFault(ex);
            outcome = FailedFrom(provider.Id, ex);
        }

        if (outcome.Status is not (ProviderStatus.Ok or ProviderStatus.Empty) && !coalesced && shared)
            await TryCacheAbandonAsync(provider.Id, key).ConfigureAwait(false);
        var elapsed = (long)Math.Round(time.GetElapsedTime(started).TotalMilliseconds);
        outcome = outcome with { ElapsedMs = elapsed };
        span?.SetTag("broker.provider", provider.Id).SetTag("broker.status", outcome.Status.WireName())
            .SetTag("broker.from_cache", fromCache).SetTag("broker.coalesced", coalesced).SetTag("broker.records", outcome.RecordCount);
        if (outcome.Status is ProviderStatus.Error or ProviderStatus.Timeout) span?.SetStatus(ActivityStatusCode.Error, outcome.Message);
        if (!fromCache)
        {
            provider.Observe(outcome.Status, elapsed, outcome.Message, providerFault);
            metrics.ProviderCall(provider.Id, outcome.Status, time.GetElapsedTime(started), coalesced, providerFault);
        }
        request.ProviderCompleted?.Invoke(outcome);
        LogProviderCall(logger, queryId, SessionLogHash.Of(request.SessionId), provider.Id, provider.Config.Type, call.BlockIndex, outcome.Status,
            outcome.RecordCount, elapsed, fromCache, coalesced, outcome.Message);
        return outcome;
    }

    /// <summary>
    /// The answer's values in VSO's spelling (<see cref="Vocabulary"/>), before it is cached, checked and merged: a file
    /// has the same source, instrument and physobs whichever provider or filters found it.
    /// </summary>
    private static ProviderAnswer InVsoSpelling(ProviderAnswer answer, ValueAliases aliases)
    {
        var records = answer.Records.Select(r => Vocabulary.Normalize(r, aliases)).ToList();
        for (var i = 0; i < records.Count; i++)
            if (!ReferenceEquals(records[i], answer.Records[i])) return answer with { Records = records };
        return answer;
    }

    /// <summary>
    /// One provider's COUNT(*) through its pipeline: found exact, no records; the record count is what a search with this
    /// limit would return from it (its cap applies), so a portal knows the size of the answer it would get.
    /// </summary>
    private async Task<ProviderOutcome> CountCallAsync(
        string queryId, SearchRequest request, PlannedCall call, int limit, CancellationToken deadline, CancellationToken caller)
    {
        var provider = call.Provider;
        var started = time.GetTimestamp();
        ProviderOutcome outcome;
        var providerFault = true;
        try
        {
            var found = await provider.CountAsync(call.Block, deadline).ConfigureAwait(false);
            outcome = new ProviderOutcome
            {
                ProviderId = provider.Id, Status = found > 0 ? ProviderStatus.Ok : ProviderStatus.Empty, Found = found, FoundExact = true,
                Truncated = found > 0, WouldReturn = (int)Math.Min(found, Math.Min(limit, provider.Config.Resilience.MaxRecords)),
            };
        }
        catch (OperationCanceledException) when (caller.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            providerFault = IsFault(ex);
            outcome = FailedFrom(provider.Id, ex);
        }
        var elapsed = (long)Math.Round(time.GetElapsedTime(started).TotalMilliseconds);
        outcome = outcome with { ElapsedMs = elapsed };
        provider.Observe(outcome.Status, elapsed, outcome.Message, providerFault);
        LogProviderCall(logger, queryId, request.SessionId, provider.Id, provider.Config.Type, call.BlockIndex, outcome.Status,
            0, elapsed, false, false, outcome.Message);
        return outcome;
    }

    /// <summary>Timeouts, open circuits and provider errors count against the provider; a caller's unusable input does not.</summary>
    private static bool IsFault(Exception ex) =>
        ex is not ProviderUnauthorizedException &&
        (ex is OperationCanceledException or TimeoutRejectedException or BrokenCircuitException || ProviderFaults.IsProviderFault(ex));

    private ProviderOutcome FailedFrom(string id, Exception ex) => ex switch
    {
        OperationCanceledException => Failed(id, ProviderStatus.Timeout, $"no answer before the search deadline of {options.Deadline.TotalSeconds:0.#} s"),
        TimeoutRejectedException t => Failed(id, ProviderStatus.Timeout, $"no answer within {t.Timeout.TotalSeconds:0.###} s"),
        BrokenCircuitException => Failed(id, ProviderStatus.CircuitOpen, "skipped: the circuit is open after repeated failures"),
        ProviderUnauthorizedException u => Failed(id, ProviderStatus.Unauthorized, u.Message),
        _ => Failed(id, ProviderStatus.Error, Describe(ex)),
    };

    private static ProviderOutcome Failed(string id, ProviderStatus status, string message) =>
        new() { ProviderId = id, Status = status, Message = message };

    /// <summary>Waits for a provider's calls (one per block it answers), then tells the caller its one status line.</summary>
    private static async Task<ProviderOutcome> RunProviderAsync(string providerId, Task<ProviderOutcome>[] calls, SearchRequest request)
    {
        var outcome = Combine(providerId, await Task.WhenAll(calls).ConfigureAwait(false));
        request.ProviderFinished?.Invoke(outcome);
        return outcome;
    }

    /// <summary>Combines the calls of one provider over several blocks into its one status line.</summary>
    private static ProviderOutcome Combine(string providerId, IReadOnlyList<ProviderOutcome> list)
    {
        if (list.Count == 1) return list[0];
        var failed = list.FirstOrDefault(c => c.Status is not (ProviderStatus.Ok or ProviderStatus.Empty));
        var records = ResultMerger.Prepare(list.SelectMany(c => c.Records));
        var answered = list.Where(c => c.Found is not null).ToList();
        var cut = answered.Any(c => c.Truncated);
        return new ProviderOutcome
        {
            ProviderId = providerId,
            // Blocks may overlap: the distinct records are exact only when no block was cut.
            Found = answered.Count == 0 ? null : cut ? Math.Max(records.Count, answered.Max(c => c.Found!.Value)) : records.Count,
            FoundExact = answered.Count == list.Count && !cut,
            Rejected = list.Sum(c => c.Rejected),
            Status = failed?.Status ?? (records.Count > 0 ? ProviderStatus.Ok : ProviderStatus.Empty),
            Message = string.Join("; ", list.Select(c => c.Message).Where(m => m is not null).Distinct()) is { Length: > 0 } m ? m : null,
            Records = records, RecordCount = records.Count, Truncated = list.Any(c => c.Truncated),
            TotalAvailable = list.All(c => c.TotalAvailable is not null) ? list.Sum(c => c.TotalAvailable) : null,
            ElapsedMs = list.Max(c => c.ElapsedMs), FromCache = list.All(c => c.FromCache),
        };
    }

    /// <summary>A message for a person: the exception's own words, with the inner cause when it adds something.</summary>
    internal static string Describe(Exception ex)
    {
        var message = ex switch
        {
            HttpRequestException { StatusCode: { } code } h => $"HTTP {(int)code} {code}: {h.Message}",
            HttpRequestException h => $"connection failed: {h.Message}",
            _ => ex.Message,
        };
        if (ex.InnerException is { } inner && !message.Contains(inner.Message, StringComparison.Ordinal) && ex is not ProviderException)
            message += $" ({inner.Message})";
        return message.Length > 500 ? message[..500] + "…" : message;
    }

    private async ValueTask<ProviderAnswer?> TryCacheGetAsync(string providerId, string key, CancellationToken ct)
    {
        try
        {
            return await cache.GetAsync(providerId, key, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCacheFailure(logger, providerId, ex.Message);
            return null;
        }
    }

    /// <summary>Releases other instances waiting on this call; bounded, because the search may already be over.</summary>
    private async ValueTask TryCacheAbandonAsync(string providerId, string key)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1), time);
            await cache.AbandonAsync(providerId, key, cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogCacheFailure(logger, providerId, ex.Message);
        }
    }

    private async ValueTask TryCacheSetAsync(string providerId, string key, ProviderAnswer answer, TimeSpan ttl, CancellationToken ct)
    {
        try
        {
            await cache.SetAsync(providerId, key, answer, ttl, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCacheFailure(logger, providerId, ex.Message);
        }
    }
}
